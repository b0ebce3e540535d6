using System.Text.Json;
using Dapper;
using HikiConsult.Storage.Sqlite;
using HikiConsult.Contracts;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Grains.Protection;
using HikiConsult.Server.Storage;
using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// The early consultation tables in the server's SQLite file: <c>risk_alerts</c> (one row per alerted message, unique
/// by session and seq) and <c>clinical_records</c> (append-only: assessments, isolation records, biomarker records
/// as JSON). Times are Unix milliseconds. The alert (its evidence quotes messages), the acknowledgement note and every
/// record are encrypted (<see cref="IClinicalDataProtector"/>); ids, status and times stay plain for the queries. The tables are created on first use; writes go through the process's one
/// <see cref="SqliteWriteQueue"/>.
/// </summary>
public sealed class SqliteEarlyConsultationStore(SqliteDatabase database, SqliteWriteQueue writer, IClinicalDataProtector protector) : IEarlyConsultationStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS risk_alerts (
            alert_id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            alert TEXT NOT NULL,
            note TEXT NULL,
            UNIQUE (session_id, seq));
        CREATE INDEX IF NOT EXISTS ix_risk_alerts_status ON risk_alerts (status, client_id, created_at);
        CREATE INDEX IF NOT EXISTS ix_risk_alerts_client ON risk_alerts (client_id, created_at);

        CREATE TABLE IF NOT EXISTS clinical_records (
            record_id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_clinical_records_client ON clinical_records (client_id, kind, at);
        CREATE TRIGGER IF NOT EXISTS clinical_records_no_update BEFORE UPDATE ON clinical_records
            BEGIN SELECT RAISE(ABORT, 'clinical_records is append-only'); END;
        """;

    private const string AlertColumns = "alert AS Alert, note AS Note";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public async Task<bool> AddAlertAsync(RiskAlertDto alert, CancellationToken cancellationToken = default)
    {
        var inserted = await WriteAsync(
            "INSERT INTO risk_alerts (alert_id, client_id, session_id, seq, created_at, status, alert) " +
            "VALUES (@AlertId, @ClientId, @SessionId, @Seq, @CreatedAt, @Status, @Alert) ON CONFLICT DO NOTHING",
            new
            {
                alert.AlertId,
                alert.ClientId,
                alert.SessionId,
                alert.Seq,
                CreatedAt = alert.CreatedAt.ToUnixTimeMilliseconds(),
                alert.Status,
                Alert = Protect(alert),
            },
            cancellationToken);
        return inserted == 1;
    }

    public async Task UpdateAlertAsync(RiskAlertDto alert, string? note, CancellationToken cancellationToken = default)
    {
        var updated = await WriteAsync(
            "UPDATE risk_alerts SET status = @Status, alert = @Alert, note = COALESCE(@Note, note) WHERE alert_id = @AlertId",
            new { alert.AlertId, alert.Status, Alert = Protect(alert), Note = note is null ? null : protector.Protect(note) },
            cancellationToken);
        if (updated != 1)
        {
            throw new InvalidOperationException($"Alert {alert.AlertId} is not stored.");
        }
    }

    public async Task<RiskAlertDto?> FindAlertAsync(string alertId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AlertRow>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM risk_alerts WHERE alert_id = @alertId", new { alertId }, cancellationToken: cancellationToken));
        return row?.ToAlert(protector);
    }

    public async Task<RiskAlertDto?> FindAlertForMessageAsync(string sessionId, long seq, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AlertRow>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM risk_alerts WHERE session_id = @sessionId AND seq = @seq", new { sessionId, seq }, cancellationToken: cancellationToken));
        return row?.ToAlert(protector);
    }

    public async Task<IReadOnlyList<RiskAlertDto>> ListUnacknowledgedAlertsAsync(string? clientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM risk_alerts WHERE status IN (@open, @escalated) AND (@clientId IS NULL OR client_id = @clientId) " +
            "ORDER BY created_at, alert_id",
            new { open = RiskAlertStatuses.Open, escalated = RiskAlertStatuses.Escalated, clientId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAlert(protector))];
    }

    public async Task<IReadOnlyList<RiskAlertRecord>> ListAlertHistoryAsync(string clientId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM risk_alerts WHERE client_id = @clientId ORDER BY created_at DESC, alert_id DESC LIMIT @limit",
            new { clientId, limit = (long)limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new RiskAlertRecord(r.ToAlert(protector), r.Note is null ? null : protector.Unprotect(r.Note)))];
    }

    public async Task<IReadOnlyList<string>> ListClientsWithOpenAlertsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT client_id FROM risk_alerts WHERE status = @open ORDER BY client_id",
            new { open = RiskAlertStatuses.Open },
            cancellationToken: cancellationToken));
        return [.. ids];
    }

    public async Task AddRecordAsync<TRecord>(string kind, string clientId, string recordId, DateTimeOffset at, TRecord record, CancellationToken cancellationToken = default)
    {
        await WriteAsync(
            "INSERT INTO clinical_records (record_id, client_id, kind, at, record) VALUES (@recordId, @clientId, @kind, @at, @record)",
            new { recordId, clientId, kind, at = at.ToUnixTimeMilliseconds(), record = protector.Protect(JsonSerializer.SerializeToUtf8Bytes(record, Json)) },
            cancellationToken);
    }

    public async Task<IReadOnlyList<TRecord>> ListRecordsAsync<TRecord>(string kind, string clientId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT record FROM clinical_records WHERE client_id = @clientId AND kind = @kind ORDER BY at DESC, rowid DESC LIMIT @limit",
            new { clientId, kind, limit = (long)limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => JsonSerializer.Deserialize<TRecord>(protector.UnprotectToUtf8(r), Json)!)];
    }

    private string Protect(RiskAlertDto alert) => protector.Protect(JsonSerializer.SerializeToUtf8Bytes(alert, Json));

    /// <summary>One statement through the shared writer, once the tables exist; the rows it changed.</summary>
    private async Task<int> WriteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await writer.WriteAsync(batch => batch.Connection.Execute(sql, parameters));
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await database.OpenAsync(cancellationToken);
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(Schema, cancellationToken: cancellationToken));
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    private sealed record AlertRow(string Alert, string? Note)
    {
        public RiskAlertDto ToAlert(IClinicalDataProtector protector) => JsonSerializer.Deserialize<RiskAlertDto>(protector.UnprotectToUtf8(Alert), Json)!;
    }
}

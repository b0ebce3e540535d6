using System.Text.Json;
using Dapper;
using HikiConsult.Contracts;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Grains.Protection;
using HikiConsult.Server.Storage;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// The early consultation tables (see the provider's schema): <c>risk_alerts</c> (one row per alerted message, unique
/// by session and seq) and <c>clinical_records</c> (append-only: assessments, isolation records, biomarker records
/// as JSON). Times are Unix milliseconds. The alert (its evidence quotes messages), the acknowledgement note and every
/// record are encrypted (<see cref="IClinicalDataProtector"/>); ids, status and times stay plain for the queries.
/// </summary>
public sealed class EarlyConsultationStore(IDatabase database, IClinicalDataProtector protector) : IEarlyConsultationStore
{
    private const string AlertColumns = "alert AS Alert, note AS Note";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
            $"SELECT record FROM clinical_records WHERE client_id = @clientId AND kind = @kind ORDER BY at DESC, {database.InsertionOrderColumn} DESC LIMIT @limit",
            new { clientId, kind, limit = (long)limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => JsonSerializer.Deserialize<TRecord>(protector.UnprotectToUtf8(r), Json)!)];
    }

    private string Protect(RiskAlertDto alert) => protector.Protect(JsonSerializer.SerializeToUtf8Bytes(alert, Json));

    private Task<int> WriteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        database.ExecuteWriteAsync(sql, parameters, cancellationToken);

    private Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    private sealed record AlertRow(string Alert, string? Note)
    {
        public RiskAlertDto ToAlert(IClinicalDataProtector protector) => JsonSerializer.Deserialize<RiskAlertDto>(protector.UnprotectToUtf8(Alert), Json)!;
    }
}

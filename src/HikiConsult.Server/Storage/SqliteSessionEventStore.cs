using System.Runtime.InteropServices;
using Dapper;
using HikiConsult.Storage.Sqlite;
using HikiConsult.Contracts;
using HikiConsult.Grains.Protection;
using HikiConsult.Grains.Sessions;
using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.Storage;

/// <summary>
/// The session log in SQLite. Appends go through the process's one <see cref="SqliteWriteQueue"/>, which commits
/// whatever is queued in one transaction (group commit); an append completes only after that transaction has
/// committed. Reads use their own pooled connections and see every committed append (WAL).
/// </summary>
public sealed class SqliteSessionEventStore(SqliteDatabase database, SqliteWriteQueue writer, IClinicalDataProtector protector) : ISessionEventStore
{
    private const int SqliteConstraintPrimaryKey = 1555;
    private const string InsertSql =
        "INSERT INTO session_events (session_id, seq, at, sender_id, sender_role, sender_name, kind, body, client_msg_id) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

    public Task<AppendOutcome> AppendAsync(StoredSessionEvent sessionEvent, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(static (batch, x) => Append(batch, x.Event, x.Protector), (Event: sessionEvent, Protector: protector));

    public async Task<long> GetLastSeqAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT MAX(seq) FROM session_events WHERE session_id = @sessionId", new { sessionId }, cancellationToken: cancellationToken)) ?? 0;
    }

    public async Task<SendAck?> FindByClientMsgIdAsync(string sessionId, string senderId, string clientMsgId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return FindAck(connection, sessionId, senderId, clientMsgId);
    }

    public async Task<IReadOnlyList<SentMessageKey>> ReadClientMsgIdsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string SenderId, string ClientMsgId)>(new CommandDefinition(
            "SELECT sender_id, client_msg_id FROM session_events WHERE session_id = @sessionId AND client_msg_id IS NOT NULL",
            new { sessionId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SentMessageKey(r.SenderId, r.ClientMsgId))];
    }

    public async Task<IReadOnlyList<SessionEventDto>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionEventRow>(new CommandDefinition(
            $"SELECT {SessionEventRow.Columns} " +
            "FROM session_events WHERE session_id = @sessionId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { sessionId, afterSeq, limit = (long)limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDto(protector))];
    }

    public async Task<SessionEventDto?> FindLastSystemEventAsync(string sessionId, string action, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SessionEventRow>(new CommandDefinition(
            $"SELECT {SessionEventRow.Columns} " +
            "FROM session_events WHERE session_id = @sessionId AND kind = @kind AND CASE WHEN kind = @kind THEN json_extract(body, '$.action') END = @action ORDER BY seq DESC LIMIT 1",
            new { sessionId, kind = EventKinds.System, action },
            cancellationToken: cancellationToken));
        return row?.ToDto(protector);
    }

    private static AppendOutcome Append(SqliteWriteBatch batch, StoredSessionEvent e, IClinicalDataProtector protector)
    {
        // System events (joined, left, state: ids and states, no clinical text) stay plain JSON so that the log can be
        // searched by action; every other body is encrypted. The CASE above keeps json_extract off encrypted bodies.
        var raw = JsonMarshal.GetRawUtf8Value(e.Body);
        var isPlain = e.Kind == EventKinds.System;
        // Bound from spans on a statement prepared once: no per-append ADO.NET objects or UTF-8 copies.
        var insert = batch.Statement(InsertSql)
            .Bind(1, e.SessionId)
            .Bind(2, e.Seq)
            .Bind(3, e.At.ToUnixTimeMilliseconds())
            .Bind(4, e.Sender.Id)
            .Bind(5, e.Sender.Role)
            .Bind(6, e.Sender.DisplayName)
            .Bind(7, e.Kind)
            .Bind(9, e.ClientMsgId);
        if (isPlain)
        {
            insert.BindUtf8(8, raw);
        }
        else
        {
            insert.Bind(8, protector.Protect(raw));
        }

        try
        {
            insert.Execute();
            return AppendOutcome.Success;
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            return AppendOutcome.SeqConflict;
        }
    }

    private static SendAck? FindAck(SqliteConnection connection, string sessionId, string senderId, string clientMsgId)
    {
        // The session's range of the primary key, scanned: resends are rare, and an index for them would be
        // written on every message. The first one is the original, should the log ever hold two.
        var row = connection.QueryFirstOrDefault<AckRow>(
            "SELECT seq AS Seq, at AS At FROM session_events WHERE session_id = @sessionId AND sender_id = @senderId AND client_msg_id = @clientMsgId ORDER BY seq LIMIT 1",
            new { sessionId, senderId, clientMsgId });
        return row is null ? null : new SendAck(row.Seq, DateTimeOffset.FromUnixTimeMilliseconds(row.At), false);
    }

    private sealed record AckRow(long Seq, long At);
}

using Dapper;
using HikiConsult.Contracts;
using HikiConsult.Grains.Protection;
using HikiConsult.Grains.Sessions;
using Npgsql;

namespace HikiConsult.Storage.Postgres;

/// <summary>
/// The session log in PostgreSQL, shared by every node of a cluster. An append commits before it completes; the
/// (session, seq) primary key refuses a second writer's event, which comes back as <see cref="AppendOutcome.SeqConflict"/>.
/// Bodies are encrypted as in the embedded store, except system events' (ids and states, searched by action).
/// </summary>
public sealed class PostgresSessionEventStore(NpgsqlDataSource dataSource, IClinicalDataProtector protector) : ISessionEventStore
{
    public async Task<AppendOutcome> AppendAsync(StoredSessionEvent e, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO session_events (session_id, seq, at, sender_id, sender_role, sender_name, kind, body, client_msg_id) " +
            "VALUES (@SessionId, @Seq, @At, @SenderId, @SenderRole, @SenderName, @Kind, @Body, @ClientMsgId) ON CONFLICT (session_id, seq) DO NOTHING",
            new
            {
                e.SessionId,
                e.Seq,
                At = e.At.ToUnixTimeMilliseconds(),
                SenderId = e.Sender.Id,
                SenderRole = e.Sender.Role,
                SenderName = e.Sender.DisplayName,
                e.Kind,
                Body = e.Kind == EventKinds.System ? e.BodyJson : protector.Protect(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e.Body)),
                e.ClientMsgId,
            },
            cancellationToken: cancellationToken));
        return inserted == 1 ? AppendOutcome.Success : AppendOutcome.SeqConflict;
    }

    public async Task<long> GetLastSeqAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(seq) FROM session_events WHERE session_id = @sessionId", new { sessionId }, cancellationToken: cancellationToken)) ?? 0;
    }

    public async Task<SendAck?> FindByClientMsgIdAsync(string sessionId, string senderId, string clientMsgId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<AckRow>(new CommandDefinition(
            "SELECT seq AS Seq, at AS At FROM session_events WHERE session_id = @sessionId AND sender_id = @senderId AND client_msg_id = @clientMsgId ORDER BY seq LIMIT 1",
            new { sessionId, senderId, clientMsgId },
            cancellationToken: cancellationToken));
        return row is null ? null : new SendAck(row.Seq, DateTimeOffset.FromUnixTimeMilliseconds(row.At), false);
    }

    public async Task<IReadOnlyList<SentMessageKey>> ReadClientMsgIdsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string SenderId, string ClientMsgId)>(new CommandDefinition(
            "SELECT sender_id, client_msg_id FROM session_events WHERE session_id = @sessionId AND client_msg_id IS NOT NULL",
            new { sessionId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SentMessageKey(r.SenderId, r.ClientMsgId))];
    }

    public async Task<IReadOnlyList<SessionEventDto>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionEventRow>(new CommandDefinition(
            $"SELECT {SessionEventRow.Columns} FROM session_events WHERE session_id = @sessionId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { sessionId, afterSeq, limit = (long)limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDto(protector))];
    }

    public async Task<SessionEventDto?> FindLastSystemEventAsync(string sessionId, string action, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SessionEventRow>(new CommandDefinition(
            $"SELECT {SessionEventRow.Columns} FROM session_events WHERE session_id = @sessionId AND kind = @kind AND CASE WHEN kind = @kind THEN body::jsonb ->> 'action' END = @action ORDER BY seq DESC LIMIT 1",
            new { sessionId, kind = EventKinds.System, action },
            cancellationToken: cancellationToken));
        return row?.ToDto(protector);
    }

    private sealed record AckRow(long Seq, long At);
}

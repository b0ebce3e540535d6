using Dapper;
using HikiConsult.Server.Audit;
using Npgsql;

namespace HikiConsult.Server.Erasure;

/// <summary>
/// Erasure in the cluster's PostgreSQL database: one transaction. The grains' own rows are gone already (their state is
/// cleared, and the cluster's grain storage deletes a cleared row). PostgreSQL reuses the space of deleted rows at its
/// next VACUUM (autovacuum); until then their bytes may stay in the table's pages, as docs/data-protection.md says.
/// </summary>
public sealed class PostgresClientErasureStore(NpgsqlDataSource dataSource) : IClientErasureStore
{
    public async Task<IReadOnlyList<string>> EraseAsync(ClientErasure erasure, CancellationToken cancellationToken = default)
    {
        var client = new { clientId = erasure.ClientId };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var devices = (await connection.QueryAsync<string>("SELECT id FROM devices WHERE client_id = @clientId", client, transaction)).ToList();

        // The session log's trigger lets these deletes through, and only these (migration 0003).
        await connection.ExecuteAsync(
            "INSERT INTO erasing_sessions (session_id) VALUES (@sessionId) ON CONFLICT DO NOTHING",
            erasure.SessionIds.Select(sessionId => new { sessionId }), transaction);
        await connection.ExecuteAsync("DELETE FROM session_events WHERE session_id IN (SELECT session_id FROM erasing_sessions)", transaction: transaction);
        await connection.ExecuteAsync("DELETE FROM erasing_sessions", transaction: transaction);
        foreach (var table in new[] { "risk_alerts", "clinical_records", "devices", "pairing_codes", "client_directory" })
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE client_id = @clientId", client, transaction);
        }

        // The tombstone: who erased which client, when; nothing of its content.
        await connection.ExecuteAsync(
            "INSERT INTO audit_log (at, actor_id, actor_role, action, target_type, target_id) VALUES (@at, @actorId, @actorRole, @action, 'client', @clientId)",
            new { at = erasure.At.ToUnixTimeMilliseconds(), actorId = erasure.ActorId, actorRole = erasure.ActorRole, action = AuditActions.ClientErased, clientId = erasure.ClientId },
            transaction);
        await transaction.CommitAsync(cancellationToken);
        return devices;
    }
}

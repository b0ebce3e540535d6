using Dapper;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Storage;
using HikiConsult.Storage.Sqlite;

namespace HikiConsult.Server.Erasure;

/// <summary>
/// Erasure in the SQLite file: one transaction through the process's one writer (whose connection has
/// <c>secure_delete</c> on, so deleted cells are zeroed), then a TRUNCATE checkpoint, so that neither the database file
/// nor the write-ahead log holds the deleted rows' bytes afterwards.
/// </summary>
public sealed partial class SqliteClientErasureStore(SqliteWriteQueue writer, ILogger<SqliteClientErasureStore> logger) : IClientErasureStore
{
    /// <summary>How long the checkpoint waits for readers of older pages, each try.</summary>
    private static readonly TimeSpan ReaderWait = TimeSpan.FromSeconds(2);

    // Grain types (their [GrainType] names) keyed by the client's id (ClientGrain, ClientEarlyConsultationGrain) or a session's id.
    private const string ClientGrainTypes = "'client', 'client-early-consultation'";
    private const string SessionGrainType = "session";

    public async Task<IReadOnlyList<string>> EraseAsync(ClientErasure erasure, CancellationToken cancellationToken = default)
    {
        var devices = await writer.WriteAsync(batch => Erase(batch.Connection, erasure));
        for (var attempt = 1; ; attempt++)
        {
            var checkpoint = await writer.CheckpointAsync(ReaderWait, truncate: true);
            if (checkpoint.CopiedAll || attempt == 3)
            {
                if (!checkpoint.CopiedAll)
                {
                    // The rows are gone; their old page images leave the log at the next checkpoint that copies all.
                    CheckpointBusy(logger, erasure.ClientId);
                }

                return devices;
            }
        }
    }

    private static IReadOnlyList<string> Erase(Microsoft.Data.Sqlite.SqliteConnection connection, ClientErasure erasure)
    {
        var client = new { clientId = erasure.ClientId };
        var sessions = erasure.SessionIds.Select(sessionId => new { sessionId }).ToArray();
        var devices = connection.Query<string>("SELECT id FROM devices WHERE client_id = @clientId", client).ToList();

        // The session log's trigger lets these deletes through, and only these (see Schema).
        connection.Execute("INSERT INTO erasing_sessions (session_id) VALUES (@sessionId) ON CONFLICT DO NOTHING", sessions);
        connection.Execute("DELETE FROM session_events WHERE session_id IN (SELECT session_id FROM erasing_sessions)");
        connection.Execute("DELETE FROM erasing_sessions");

        // The early consultation tables exist once that store has been used.
        var tables = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('risk_alerts', 'clinical_records')").ToHashSet();
        foreach (var table in tables)
        {
            connection.Execute($"DELETE FROM {table} WHERE client_id = @clientId", client);
        }

        connection.Execute("DELETE FROM devices WHERE client_id = @clientId", client);
        connection.Execute("DELETE FROM pairing_codes WHERE client_id = @clientId", client);
        connection.Execute("DELETE FROM client_directory WHERE client_id = @clientId", client);
        connection.Execute($"DELETE FROM grain_state WHERE grain_type IN ({ClientGrainTypes}) AND grain_key = @clientId", client);
        connection.Execute("DELETE FROM grain_state WHERE grain_type = @type AND grain_key = @sessionId", sessions.Select(s => new { type = SessionGrainType, s.sessionId }));

        // The tombstone: who erased which client, when; nothing of its content.
        connection.Execute(
            "INSERT INTO audit_log (at, actor_id, actor_role, action, target_type, target_id) VALUES (@at, @actorId, @actorRole, @action, 'client', @clientId)",
            new { at = erasure.At.ToUnixTimeMilliseconds(), actorId = erasure.ActorId, actorRole = erasure.ActorRole, action = AuditActions.ClientErased, clientId = erasure.ClientId });
        return devices;
    }

    [LoggerMessage(1, LogLevel.Warning, "Client {ClientId} erased; readers kept the write-ahead log from being truncated at once")]
    private static partial void CheckpointBusy(ILogger logger, string clientId);
}

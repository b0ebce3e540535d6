namespace HikiConsult.Server.Erasure;

/// <summary>
/// The rows of one client in the server's database, deleted in one transaction with the audit's tombstone. A
/// PostgreSQL port implements the same: the same tables, the same one permitted delete on session_events.
/// </summary>
public interface IClientErasureStore
{
    /// <summary>
    /// Deletes the client's session events, alerts, clinical records, devices, pairing codes, directory entry and grain
    /// state rows (of the client's grains and its sessions' grains), writes the tombstone, and scrubs what the database
    /// keeps of deleted pages. Returns the ids of the client's devices that were deleted.
    /// </summary>
    Task<IReadOnlyList<string>> EraseAsync(ClientErasure erasure, CancellationToken cancellationToken = default);
}

/// <summary>One erasure: which client and sessions, by whom (a user, or the retention policy), when.</summary>
public sealed record ClientErasure(string ClientId, IReadOnlyList<string> SessionIds, string ActorId, string ActorRole, DateTimeOffset At);

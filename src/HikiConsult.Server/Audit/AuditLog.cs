using Dapper;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Storage;

namespace HikiConsult.Server.Audit;

/// <summary>
/// Who read which client record or session history, and when. Written before the data is returned, so a read
/// that cannot be audited is not served. Rows name ids only, never content.
/// </summary>
public sealed class AuditLog(IDatabase database, TimeProvider time)
{
    public Task RecordAsync(Caller caller, string action, string targetType, string targetId, CancellationToken cancellationToken = default) =>
        RecordAsync(caller, action, targetType, [targetId], cancellationToken);

    public async Task RecordAsync(Caller caller, string action, string targetType, IReadOnlyCollection<string> targetIds, CancellationToken cancellationToken = default)
    {
        if (targetIds.Count == 0)
        {
            return;
        }

        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = targetIds.Select(targetId => new { at, actorId = caller.Id, actorRole = caller.Role, action, targetType, targetId }).ToArray();
        await database.ExecuteWriteAsync(
            "INSERT INTO audit_log (at, actor_id, actor_role, action, target_type, target_id) VALUES (@at, @actorId, @actorRole, @action, @targetType, @targetId)",
            rows,
            cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? targetId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            "SELECT id AS Id, at AS At, actor_id AS ActorId, actor_role AS ActorRole, action AS Action, target_type AS TargetType, target_id AS TargetId " +
            "FROM audit_log WHERE (@targetId IS NULL OR target_id = @targetId) ORDER BY id DESC LIMIT @limit",
            new { targetId, limit = (long)limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AuditEntry(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.ActorId, r.ActorRole, r.Action, r.TargetType, r.TargetId))];
    }

    private sealed record AuditRow(long Id, long At, string ActorId, string ActorRole, string Action, string TargetType, string TargetId);
}

/// <summary>One audit row as the admin sees it.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string ActorId, string ActorRole, string Action, string TargetType, string TargetId);

/// <summary>Audit actions.</summary>
public static class AuditActions
{
    public const string ClientRead = "client.read";
    public const string ClientList = "client.list";
    public const string SessionHistoryRead = "session.history";
    public const string SessionTranscriptRead = "session.transcript";
    public const string SessionJoin = "session.join";

    /// <summary>A read of something the caller may not see, answered 404.</summary>
    public const string Denied = "denied";

    public const string AuditRead = "audit.read";
    public const string UsersRead = "users.list";
    public const string Logout = "auth.logout";

    /// <summary>A used refresh token came back: its sign-in was revoked.</summary>
    public const string RefreshReuse = "auth.refresh-reuse";

    /// <summary>An account was locked after failed sign-ins.</summary>
    public const string Lockout = "auth.lockout";

    /// <summary>Tombstone of an erased client: the actor is the supervisor, or "retention" for the retention policy.</summary>
    public const string ClientErased = "client.erased";
}

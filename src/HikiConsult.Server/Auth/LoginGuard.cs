using Dapper;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Storage;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Auth;

/// <summary>What a sign-in attempt came to: the account, or nothing, or a lockout until a time.</summary>
public sealed record LoginAttempt(UserRecord? User, DateTimeOffset? LockedUntil);

/// <summary>
/// Per-account lockout on top of the per-address rate limit: <see cref="AuthOptions.LockoutFailures"/> failures in a
/// row lock the username for <see cref="AuthOptions.Lockout"/>, doubling with each further lockout in a row up to
/// <see cref="AuthOptions.MaxLockout"/>; a success resets it. Unknown usernames are counted and locked the same way and
/// every attempt costs one password hash, locked or not, so neither the answer nor its timing tells whether an account
/// exists. Each lockout is audited.
/// </summary>
public sealed class LoginGuard(IDatabase database, UserStore users, AuditLog audit, IOptions<AuthOptions> options, TimeProvider time)
{
    public async Task<LoginAttempt> AttemptAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var lockedUntil = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT locked_until FROM login_failures WHERE lower(username) = lower(@username)", new { username }, cancellationToken: cancellationToken));

        // Verified even when locked: the same cost whatever the state of the account.
        var user = await users.VerifyAsync(username, password, cancellationToken);
        if (lockedUntil is { } until && until > now.ToUnixTimeMilliseconds())
        {
            return new LoginAttempt(null, DateTimeOffset.FromUnixTimeMilliseconds(until));
        }

        if (user is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM login_failures WHERE lower(username) = lower(@username)", new { username }, cancellationToken: cancellationToken));
            return new LoginAttempt(user, null);
        }

        var row = await connection.QuerySingleAsync<FailureRow>(new CommandDefinition(
            "INSERT INTO login_failures (username, failures, lockouts) VALUES (lower(@username), 1, 0) " +
            "ON CONFLICT (username) DO UPDATE SET failures = login_failures.failures + 1 RETURNING failures AS Failures, lockouts AS Lockouts",
            new { username }, cancellationToken: cancellationToken));
        if (row.Failures < options.Value.LockoutFailures)
        {
            return new LoginAttempt(null, null);
        }

        var settings = options.Value;
        var lockout = TimeSpan.FromTicks(Math.Min(settings.MaxLockout.Ticks, settings.Lockout.Ticks * (1L << (int)Math.Min(row.Lockouts, 20))));
        var lockedTo = now + lockout;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE login_failures SET failures = 0, lockouts = lockouts + 1, locked_until = @until WHERE lower(username) = lower(@username)",
            new { username, until = lockedTo.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        var account = await users.FindByUsernameAsync(username, cancellationToken);
        await audit.RecordAsync(new Caller("anonymous", "anonymous", "anonymous", null, null), AuditActions.Lockout, "account",
            account?.Id ?? $"username:{username}", cancellationToken);
        return new LoginAttempt(null, lockedTo);
    }

    private sealed record FailureRow(long Failures, long Lockouts);
}

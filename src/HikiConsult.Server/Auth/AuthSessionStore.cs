using System.Security.Cryptography;
using System.Text;
using Dapper;
using HikiConsult.Server.Storage;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Auth;

/// <summary>
/// Sign-in sessions of staff (the <c>sid</c> claim of their access tokens) and their refresh tokens, one family per
/// sign-in. A refresh token renews once: its use issues the next one. Using one a second time means it was copied,
/// so the whole family is revoked (the legitimate holder signs in again). Only hashes of refresh tokens are kept.
/// </summary>
public sealed class AuthSessionStore(IDatabase database, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string TokenPrefix = "rt_";

    public async Task<(string SessionId, string RefreshToken, DateTimeOffset RefreshExpiresAt)> CreateAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var sessionId = "as_" + Guid.NewGuid().ToString("N");
        var expiresAt = now + options.Value.RefreshTokenLifetime;
        var token = NewToken();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES (@sessionId, @userId, @now, @expires)",
            new { sessionId, userId, now = now.ToUnixTimeMilliseconds(), expires = expiresAt.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (@hash, @sessionId, @now)",
            new { hash = Hash(token), sessionId, now = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (sessionId, token, expiresAt);
    }

    /// <summary>Uses up a refresh token and issues the next of its family; a reused one revokes the family.</summary>
    public async Task<RefreshOutcome> RotateAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var hash = Hash(refreshToken);
        await using var connection = await database.OpenAsync(cancellationToken);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            "SELECT t.session_id AS SessionId, t.used_at AS UsedAt, s.user_id AS UserId, s.expires_at AS ExpiresAt, s.revoked_at AS RevokedAt " +
            "FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id WHERE t.token_hash = @hash",
            new { hash }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return RefreshOutcome.Invalid;
        }

        if (row.UsedAt is null && (row.RevokedAt is not null || row.ExpiresAt <= now))
        {
            return RefreshOutcome.Invalid;
        }

        // Marked used only if nobody did since the read: of two uses at once (on two nodes of a cluster too), one
        // rotates and the other is a reuse.
        var usedNow = row.UsedAt is null && await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET used_at = @now WHERE token_hash = @hash AND used_at IS NULL", new { now, hash }, transaction, cancellationToken: cancellationToken)) == 1;
        if (!usedNow)
        {
            var revoked = await RevokeAsync(connection, transaction, row.SessionId, "refresh-reuse", now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RefreshOutcome(RefreshResult.Reused, row.UserId, row.SessionId, null, default) { FamilyRevokedNow = revoked };
        }

        var next = NewToken();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (@hash, @sessionId, @now)",
            new { hash = Hash(next), sessionId = row.SessionId, now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new RefreshOutcome(RefreshResult.Rotated, row.UserId, row.SessionId, next, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt));
    }

    /// <summary>Ends a sign-in session: its access and refresh tokens stop working. False when it had ended already.</summary>
    public async Task<bool> RevokeAsync(string sessionId, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revoked = await RevokeAsync(connection, transaction, sessionId, reason, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return revoked;
    }

    private static async Task<bool> RevokeAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sessionId, string reason, long now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE auth_sessions SET revoked_at = @now, revoked_reason = @reason WHERE id = @sessionId AND revoked_at IS NULL",
            new { now, reason, sessionId }, transaction, cancellationToken: cancellationToken)) > 0;

    private static string NewToken() => TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record TokenRow(string SessionId, long? UsedAt, string UserId, long ExpiresAt, long? RevokedAt);
}

public enum RefreshResult
{
    Invalid,
    Rotated,
    Reused,
}

/// <summary>What a refresh did: the next token (rotated), or the family it revoked (reused).</summary>
public sealed record RefreshOutcome(RefreshResult Result, string? UserId, string? SessionId, string? RefreshToken, DateTimeOffset RefreshExpiresAt)
{
    public static readonly RefreshOutcome Invalid = new(RefreshResult.Invalid, null, null, null, default);

    public bool FamilyRevokedNow { get; init; }
}

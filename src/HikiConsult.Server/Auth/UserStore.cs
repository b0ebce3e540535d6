using Dapper;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Server.Storage;
using Microsoft.AspNetCore.Identity;

namespace HikiConsult.Server.Auth;

/// <summary>A staff account.</summary>
public sealed record UserRecord(string Id, string Username, string DisplayName, string Role, string PasswordHash, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt)
{
    public UserInfo ToInfo() => new(Id, DisplayName, Role);
}

/// <summary>Staff accounts in the users table; passwords hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>.</summary>
public sealed class UserStore(IDatabase database, TimeProvider time)
{
    public static readonly IReadOnlySet<string> StaffRoles = new HashSet<string>(StringComparer.Ordinal) { Roles.Counselor, Roles.Supervisor, Roles.Admin };

    private const string Columns =
        "id AS Id, username AS Username, display_name AS DisplayName, role AS Role, password_hash AS PasswordHash, created_at AS CreatedAt, disabled_at AS DisabledAt";

    private static readonly PasswordHasher<UserRecord> Hasher = new();

    // Verifying against this when the user is unknown keeps both failures equally slow.
    private static readonly string UnknownUserHash = Hasher.HashPassword(null!, "no such user");

    public async Task<UserRecord> CreateAsync(string username, string displayName, string role, string password, CancellationToken cancellationToken = default)
    {
        if (!StaffRoles.Contains(role))
        {
            throw new ArgumentException($"'{role}' is not a staff role.", nameof(role));
        }

        var user = new UserRecord(EntityIds.NewUserId(), username, displayName, role, "", time.GetUtcNow(), null);
        user = user with { PasswordHash = Hasher.HashPassword(user, password) };
        await using var connection = await database.OpenAsync(cancellationToken);

        // User names are unique without case (SQLite: COLLATE NOCASE; PostgreSQL: a unique index on lower(username)).
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (@Id, @Username, @DisplayName, @Role, @PasswordHash, @CreatedAt) ON CONFLICT DO NOTHING",
            new { user.Id, user.Username, user.DisplayName, user.Role, user.PasswordHash, CreatedAt = user.CreatedAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            throw new DuplicateUsernameException(username);
        }

        return user;
    }

    /// <summary>The user when the password matches and the account is enabled; otherwise null (same cost either way).</summary>
    public async Task<UserRecord?> VerifyAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var user = await FindByUsernameAsync(username, cancellationToken);
        var result = Hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? UnknownUserHash, password);
        if (user is null || user.DisabledAt is not null || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = Hasher.HashPassword(user, password);
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET password_hash = @rehashed WHERE id = @id", new { rehashed, id = user.Id }, cancellationToken: cancellationToken));
        }

        return user;
    }

    public async Task<UserRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE lower(username) = lower(@username)", new { username }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<UserRecord?> FindByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users ORDER BY username", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: cancellationToken));
    }

    public async Task<bool> IsActiveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE id = @id AND disabled_at IS NULL", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<bool> DisableAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET disabled_at = @now WHERE id = @id AND disabled_at IS NULL",
            new { id, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) > 0;
    }

    private sealed record UserRow(string Id, string Username, string DisplayName, string Role, string PasswordHash, long CreatedAt, long? DisabledAt)
    {
        public UserRecord ToRecord() => new(Id, Username, DisplayName, Role, PasswordHash, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DisabledAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null);
    }
}

public sealed class DuplicateUsernameException(string username) : Exception($"The username '{username}' is taken.");

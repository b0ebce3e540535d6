using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HikiConsult.Storage.Postgres;

/// <summary>
/// Brings a PostgreSQL database to the schema this build needs: the numbered scripts under Migrations/ (embedded),
/// each applied once, in order, in one transaction, and recorded in <c>schema_migrations</c>. Idempotent, and safe when
/// several nodes start at once: an advisory lock lets one node migrate while the others wait and then find nothing to do.
/// </summary>
public static partial class PostgresMigrations
{
    // Any constant shared by every node of the product; it names the lock in pg_locks.
    private const long LockKey = 0x4869_6B69_436F_6E73;

    private const string ResourcePrefix = "HikiConsult.Storage.Postgres.Migrations.";

    /// <summary>The scripts of this build, by version (the number the file name starts with).</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Applies what is missing; returns the versions applied now (empty when the database was up to date).</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@LockKey)", new { LockKey }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            transaction: transaction, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();

        var appliedNow = new List<int>();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)", migration, transaction, cancellationToken: cancellationToken));
            appliedNow.Add(migration.Version);
            Applied(logger, migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        return appliedNow;
    }

    private static Migration[] Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Read(assembly, n))
            .OrderBy(m => m.Version)];
    }

    private static Migration Read(Assembly assembly, string resource)
    {
        var name = resource[ResourcePrefix.Length..^".sql".Length];
        var version = int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return new Migration(version, name, reader.ReadToEnd());
    }

    [LoggerMessage(1, LogLevel.Information, "Applied schema migration {Version} ({Name})")]
    private static partial void Applied(ILogger logger, int version, string name);
}

/// <summary>One numbered schema script.</summary>
public sealed record Migration(int Version, string Name, string Sql);

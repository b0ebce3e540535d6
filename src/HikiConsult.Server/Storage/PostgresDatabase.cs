using System.Data.Common;
using Dapper;
using Npgsql;

namespace HikiConsult.Server.Storage;

/// <summary>The server's tables in the cluster's PostgreSQL database, on the node's one pooled data source.</summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource) : IDatabase
{
    public StorageProvider Provider => StorageProvider.Postgres;

    public string InsertionOrderColumn => "id";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public async Task<int> ExecuteWriteAsync(string sql, object parameters, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public async Task<IAsyncDisposable> LockAsync(string name, CancellationToken cancellationToken = default)
    {
        // A session-level advisory lock lives as long as its connection: the lock object owns one.
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(hashtext(@name))", new { name }, cancellationToken: cancellationToken));
            return new AdvisoryLock(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@name))", new { name });
            }
            finally
            {
                // Closing the session releases the lock too, should the unlock fail.
                await connection.DisposeAsync();
            }
        }
    }
}

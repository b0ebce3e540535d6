using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.Storage;

/// <summary>Opens connections to the server's SQLite file with the same settings every time.</summary>
public sealed class SqliteDatabase(StorageSettings settings)
{
    public string ConnectionString => settings.ConnectionString;


    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(settings.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();

            // Per connection: wait briefly for the single writer lock instead of failing, and the durability level.
            pragma.CommandText = $"PRAGMA busy_timeout = 5000; PRAGMA synchronous = {settings.Synchronous}; PRAGMA wal_autocheckpoint = {settings.WalAutoCheckpointPages};";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection of the process's one writer: a larger page cache, so the pages where open sessions append stay in memory.</summary>
    public async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA cache_size = -{settings.EventWriterCacheMegabytes * 1024};";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

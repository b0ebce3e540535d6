using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.Storage;

/// <summary>Opens connections to the server's SQLite file with the same settings every time.</summary>
public sealed class SqliteDatabase(StorageSettings settings)
{
    public string ConnectionString => settings.ConnectionString;

    // Per connection: wait briefly for the write lock instead of failing, the durability level, the WAL size at
    // which a commit checkpoints by itself (a safety net: the background checkpointer normally does it), and
    // secure_delete, so that deleted and overwritten content (an erased client, a state row's older version) is
    // zeroed in its page rather than left in free space.
    private string ConnectionPragmas =>
        $"PRAGMA busy_timeout = 5000; PRAGMA synchronous = {settings.Synchronous}; PRAGMA wal_autocheckpoint = {settings.WalAutoCheckpointPages}; PRAGMA secure_delete = ON;";

    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(ConnectionPragmas, cancellationToken);

    /// <summary>The connection of the process's one writer: a larger page cache, so the pages where open sessions append stay in memory.</summary>
    public Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken = default) =>
        OpenAsync($"{ConnectionPragmas} PRAGMA cache_size = -{settings.EventWriterCacheMegabytes * 1024};", cancellationToken);

    private async Task<SqliteConnection> OpenAsync(string pragmas, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(settings.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = pragmas;
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

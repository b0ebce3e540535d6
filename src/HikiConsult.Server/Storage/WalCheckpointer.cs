using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.Storage;

/// <summary>
/// Copies the write-ahead log back into the database file every <see cref="StorageOptions.CheckpointInterval"/>,
/// on a connection and a thread of its own, with PASSIVE checkpoints: they take no write lock, so the single
/// writer keeps committing (and acknowledging messages) while pages are copied and synced, and the blocking
/// copy never holds one of the few pool threads. Without it every committing connection would checkpoint on its
/// own commit path. On shutdown, one last checkpoint truncates the log so that the file at rest is a single
/// database file. Wall-clock time on purpose: this is upkeep of the file, not product time.
/// </summary>
internal sealed partial class WalCheckpointer(
    StorageSettings settings,
    SqliteDatabase database,
    DatabaseStatus status,
    ILogger<WalCheckpointer> logger) : IHostedService, IDisposable
{
    private readonly ManualResetEventSlim _stopping = new();
    private Thread? _thread;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpointer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Set();
        _thread?.Join();
        if (status.IsReady)
        {
            Checkpoint("TRUNCATE");
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();

    private void Run()
    {
        while (!_stopping.Wait(settings.CheckpointInterval))
        {
            if (status.IsReady)
            {
                Checkpoint("PASSIVE");
            }
        }
    }

    private void Checkpoint(string mode)
    {
        try
        {
            using var connection = database.OpenAsync().GetAwaiter().GetResult();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            using var reader = command.ExecuteReader();
            if (reader.Read() && reader.GetInt64(0) != 0 && mode != "PASSIVE")
            {
                CheckpointBusy(logger, mode);
            }
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            // The next tick tries again; the writers' own autocheckpoint is the safety net meanwhile.
            CheckpointFailed(logger, mode, ex);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "WAL checkpoint ({Mode}) failed; retrying on the next tick")]
    private static partial void CheckpointFailed(ILogger logger, string mode, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "WAL checkpoint ({Mode}) could not finish: the database was busy")]
    private static partial void CheckpointBusy(ILogger logger, string mode);
}

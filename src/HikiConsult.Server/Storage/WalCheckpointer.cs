namespace HikiConsult.Server.Storage;

/// <summary>
/// Copies the write-ahead log back into the database file every <see cref="StorageOptions.CheckpointInterval"/>,
/// on a connection of its own, with PASSIVE checkpoints: they take no write lock, so the session log's writer
/// keeps committing (and acknowledging messages) while pages are copied and synced. Without it every
/// committing connection would checkpoint on its own commit path. On shutdown, one last checkpoint truncates
/// the log so that the file at rest is a single database file. Wall-clock time on purpose: this is upkeep of
/// the file, not product time.
/// </summary>
internal sealed partial class WalCheckpointer(
    StorageSettings settings,
    SqliteDatabase database,
    DatabaseStatus status,
    ILogger<WalCheckpointer> logger) : BackgroundService
{
    /// <summary>Checkpoints run so far (for tests and diagnostics).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    private long _completed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = settings.CheckpointInterval ?? TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (status.IsReady)
                {
                    await CheckpointAsync("PASSIVE", stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (status.IsReady)
        {
            await CheckpointAsync("TRUNCATE", cancellationToken);
        }
    }

    private async Task CheckpointAsync(string mode, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) != 0 && mode != "PASSIVE")
            {
                CheckpointBusy(logger, mode);
            }

            Interlocked.Increment(ref _completed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
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

using System.Diagnostics;
using HikiConsult.Actors.Storage;
using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.Storage;

/// <summary>
/// Copies the write-ahead log back into the database file every <see cref="StorageOptions.CheckpointInterval"/>,
/// on a connection and a thread of its own, with PASSIVE checkpoints: they take no write lock, so the single
/// writer keeps committing (and acknowledging messages) while pages are copied and synced, and the blocking
/// copy never holds one of the few pool threads. Such a checkpoint copies only the frames that exist when it
/// starts, so while writes keep coming the log never starts over; once it holds
/// <see cref="StorageOptions.WalResetPages"/>, the writer copies the few frames written meanwhile itself,
/// between two transactions (<see cref="SqliteWriteQueue.CheckpointAsync"/>), and the log starts over. Without
/// that the log would grow until a commit crossed SQLite's autocheckpoint threshold and copied and synced
/// everything on the commit path (measured: every send stalled 40–65 ms every ~9 s under load). On shutdown,
/// one last checkpoint truncates the log so that the file at rest is a single database file. Wall-clock time on
/// purpose: this is upkeep of the file, not product time.
/// </summary>
internal sealed partial class WalCheckpointer(
    StorageSettings settings,
    SqliteDatabase database,
    DatabaseStatus status,
    SqliteWriteQueue writer,
    ILogger<WalCheckpointer> logger) : IHostedService, IDisposable
{
    private readonly ManualResetEventSlim _stopping = new();
    private Thread? _thread;

    // SQLite starts the log over at the next write after a complete checkpoint; until then it reports the same
    // frames, all copied, and there is nothing for the writer to do.
    private long _framesAtLastReset = -1;

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
            // The result counts only the frames that existed when the checkpoint began: "all copied" says nothing
            // about those written meanwhile, so the size alone decides.
            if (status.IsReady
                && Checkpoint("PASSIVE") is { LogFrames: var frames } result
                && frames >= settings.WalResetPages
                && !(frames == _framesAtLastReset && result.CheckpointedFrames == frames))
            {
                ResetOnWriter();
            }
        }
    }

    private WalCheckpointResult? Checkpoint(string mode)
    {
        try
        {
            using var connection = database.OpenAsync().GetAwaiter().GetResult();
            var result = WalCheckpointResult.Run(connection, mode);
            if (result.Busy && mode != "PASSIVE")
            {
                CheckpointBusy(logger, mode);
            }

            return result;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            // The next tick tries again; the writers' own autocheckpoint is the safety net meanwhile.
            CheckpointFailed(logger, mode, ex);
            return null;
        }
    }

    private void ResetOnWriter()
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var result = writer.CheckpointAsync().GetAwaiter().GetResult();
            if (result.CopiedAll)
            {
                _framesAtLastReset = result.LogFrames;
                LogReset(logger, result.LogFrames, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                // A reader still holds an older snapshot; the next tick tries again.
                LogNotReset(logger, result.LogFrames, result.CheckpointedFrames);
            }
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: StopAsync truncates the log.
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            CheckpointFailed(logger, "PASSIVE on the writer", ex);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "WAL checkpoint ({Mode}) failed; retrying on the next tick")]
    private static partial void CheckpointFailed(ILogger logger, string mode, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "WAL checkpoint ({Mode}) could not finish: the database was busy")]
    private static partial void CheckpointBusy(ILogger logger, string mode);

    // Timed from the request, so it includes the wait behind writes queued before it, as the commits after it do.
    [LoggerMessage(4, LogLevel.Debug, "WAL started over: the writer copied the last of its {Frames} frames, held for {Milliseconds:F1} ms")]
    private static partial void LogReset(ILogger logger, long frames, double milliseconds);

    [LoggerMessage(3, LogLevel.Debug, "WAL not started over: {Checkpointed} of {Frames} frames copied (a reader holds an older snapshot)")]
    private static partial void LogNotReset(ILogger logger, long frames, long checkpointed);
}

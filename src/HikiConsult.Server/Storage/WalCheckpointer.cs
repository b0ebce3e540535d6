using System.Diagnostics;
using HikiConsult.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace HikiConsult.Server.Storage;

/// <summary>
/// Copies the write-ahead log back into the database file every <see cref="StorageOptions.CheckpointInterval"/>,
/// on a connection and a thread of its own, with PASSIVE checkpoints: they take no write lock, so the single
/// writer keeps committing (and acknowledging messages) while pages are copied and synced, and the blocking
/// copy never holds one of the few pool threads. Such a checkpoint copies only the frames that exist when it
/// starts, so while writes keep coming the log never starts over; once it holds
/// <see cref="StorageOptions.WalResetPages"/>, the writer copies the few frames written meanwhile itself,
/// between two transactions (<see cref="SqliteWriteQueue.CheckpointAsync"/>), and the log starts over (if readers
/// that always overlap keep it from that, the writer's next copy waits briefly for them: <see cref="ReaderWait"/>). Without
/// that the log would grow until a commit crossed SQLite's autocheckpoint threshold and copied and synced
/// everything on the commit path, stalling every send. SQLite syncs the
/// database file only in a checkpoint that reaches the end of the log, the writer's; so that this sync, which holds
/// the writer, finds little left to flush, the database file is flushed here after each background checkpoint that
/// copied frames. On shutdown,
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

    /// <summary>
    /// How long the writer's copy waits for the log's readers once a copy without waiting did not start the log over
    /// (readers that always overlap keep it from reaching the end, or from starting over). Short: commits wait too.
    /// </summary>
    internal static readonly TimeSpan ReaderWait = TimeSpan.FromMilliseconds(50);

    // SQLite starts the log over at the next write after a complete checkpoint; until then it reports the same
    // frames, all copied, and there is nothing for the writer to do.
    private long _framesAtLastReset = -1;

    // Set by a complete copy on the writer: the next tick sees whether the log started over.
    private bool _checkStartOver;

    // The writer's last copy did not start the log over: the next one waits for the readers.
    private bool _waitForReaders;

    // Closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's included (SQLite's
    // "How To Corrupt An SQLite Database File", 2.2.1): this one is opened once and closed only when the host is
    // disposed, after the last checkpoint. An empty path: an in-memory database.
    private string? _databasePath;
    private SafeFileHandle? _databaseFile;
    private bool _flushUnavailable;
    private (long LogFrames, long CopiedFrames) _lastFlushed;

    private long _ticksCompleted;

    /// <summary>Background ticks finished so far: a test that asserts a tick did nothing waits for ticks, not for time.</summary>
    internal long TicksCompleted => Interlocked.Read(ref _ticksCompleted);

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

    public void Dispose()
    {
        // Also when the host was never stopped (a failed start): the thread must not use what is disposed here.
        _stopping.Set();
        _thread?.Join();
        _databaseFile?.Dispose();
        _stopping.Dispose();
    }

    private void Run()
    {
        while (!_stopping.Wait(settings.CheckpointInterval))
        {
            Tick();
            Interlocked.Increment(ref _ticksCompleted);
        }
    }

    private void Tick()
    {
        if (!status.IsReady || Checkpoint("PASSIVE") is not { LogFrames: var frames } result)
        {
            return;
        }

        FlushDatabaseFile(result);

        // Started over, the log holds only what was written since (far less than it held); not started over (a
        // reader that began before the copy still read it at the next write), it holds at least as much.
        if (_checkStartOver)
        {
            _checkStartOver = false;
            if (frames > _framesAtLastReset)
            {
                _waitForReaders = true;
                LogKeptByReaders(logger, frames);
            }
        }

        // The result counts only the frames that existed when the checkpoint began: "all copied" says nothing
        // about those written meanwhile, so the size alone decides.
        if (_waitForReaders || (frames >= settings.WalResetPages && !(frames == _framesAtLastReset && result.CheckpointedFrames == frames)))
        {
            ResetOnWriter();
        }
    }

    private WalCheckpointResult? Checkpoint(string mode)
    {
        try
        {
            using var connection = database.OpenAsync().GetAwaiter().GetResult();
            _databasePath ??= connection.DataSource;
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

    /// <summary>After a background checkpoint that copied frames since the last flush: flushes what it copied to disk.</summary>
    private void FlushDatabaseFile(WalCheckpointResult result)
    {
        if (_flushUnavailable || string.IsNullOrEmpty(_databasePath)
            || result.CheckpointedFrames == 0 || (result.LogFrames, result.CheckpointedFrames) == _lastFlushed)
        {
            return;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            _databaseFile ??= File.OpenHandle(_databasePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(_databaseFile);
            _lastFlushed = (result.LogFrames, result.CheckpointedFrames);
            LogFlushed(logger, result.CheckpointedFrames, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not needed for durability (the writer's checkpoint syncs the file before the log starts over), only
            // for shorter holds of the writer: given up for the life of the host rather than retried every tick.
            FlushUnavailable(logger, ex);
            _flushUnavailable = true;
        }
    }

    private void ResetOnWriter()
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var waited = _waitForReaders;
            var result = writer.CheckpointAsync(waited ? ReaderWait : null).GetAwaiter().GetResult();
            if (result.CopiedAll)
            {
                // Waiting for the readers, SQLite guarantees the start over at the next write; without, the next tick checks.
                _framesAtLastReset = result.LogFrames;
                _checkStartOver = !waited;
                _waitForReaders = false;
                LogReset(logger, waited ? "RESTART, waiting for readers" : "PASSIVE", result.LogFrames, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                // A reader holds an older snapshot (waiting, it did not finish in time): the next tick tries again, waiting.
                _waitForReaders = true;
                LogNotReset(logger, result.LogFrames, result.CheckpointedFrames);
            }
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: StopAsync truncates the log.
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            CheckpointFailed(logger, "on the writer", ex);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "WAL checkpoint ({Mode}) failed; retrying on the next tick")]
    private static partial void CheckpointFailed(ILogger logger, string mode, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "WAL checkpoint ({Mode}) could not finish: the database was busy")]
    private static partial void CheckpointBusy(ILogger logger, string mode);

    // Timed from the request, so it includes the wait behind writes queued before it, as the commits after it do.
    [LoggerMessage(4, LogLevel.Debug, "WAL copied to its end by the writer ({Mode}): the last of its {Frames} frames, held for {Milliseconds:F1} ms")]
    private static partial void LogReset(ILogger logger, string mode, long frames, double milliseconds);

    [LoggerMessage(7, LogLevel.Debug, "WAL not started over after a complete copy ({Frames} frames now): a reader still used it at the next write")]
    private static partial void LogKeptByReaders(ILogger logger, long frames);

    [LoggerMessage(5, LogLevel.Debug, "Database file flushed after a background checkpoint ({Frames} frames copied) in {Milliseconds:F1} ms")]
    private static partial void LogFlushed(ILogger logger, long frames, double milliseconds);

    [LoggerMessage(6, LogLevel.Warning, "The database file cannot be flushed after background checkpoints; the writer will sync it when the log starts over")]
    private static partial void FlushUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "WAL not copied to its end by the writer: {Checkpointed} of {Frames} frames (a reader holds an older snapshot)")]
    private static partial void LogNotReset(ILogger logger, long frames, long checkpointed);
}

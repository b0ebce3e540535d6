using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Actors.Storage;

/// <summary>
/// The one writer of a SQLite file. SQLite lets one connection write at a time, and a connection that finds the
/// lock taken sleeps in growing steps (1, 2, 5, 10 … 100 ms) before it retries: with several writers those sleeps
/// become the tail latency of every commit. Here every write of the process is queued and one connection commits
/// whatever is queued in one transaction (group commit). Each write runs under its own savepoint, so one that
/// throws is undone alone and fails alone; a write's task completes only after its transaction has committed.
/// The writer has a thread of its own: SQLite's calls block, and a pool thread held by them for milliseconds is
/// missing from the two or so that run everything else. <see cref="CheckpointAsync"/> checkpoints between two
/// transactions, which only the writer can do while writes keep coming.
/// </summary>
public sealed partial class SqliteWriteQueue : IAsyncDisposable, IDisposable
{
    /// <summary>Most writes committed in one transaction.</summary>
    public const int MaxBatch = 256;

    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly ILogger<SqliteWriteQueue> _logger;
    private readonly Channel<IPendingWrite> _queue = Channel.CreateUnbounded<IPendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _commits;

    /// <param name="open">Opens the writer's connection (with its pragmas); called again after a failed commit.</param>
    public SqliteWriteQueue(Func<CancellationToken, Task<SqliteConnection>> open, ILogger<SqliteWriteQueue> logger)
    {
        _open = open;
        _logger = logger;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "SQLite writer" };
        _writer.Start();
    }

    /// <summary>Commits so far (for tests and diagnostics).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Runs <paramref name="write"/> on the writer's connection inside the open transaction and completes with its
    /// result once that transaction has committed. The write must not commit, roll back or keep the batch.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteBatch, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var pending = new PendingWrite<T>(write);
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<T>(new ObjectDisposedException(nameof(SqliteWriteQueue), "The database writer is shutting down."));
    }

    /// <summary>
    /// Checkpoints the write-ahead log on the writer's connection, after what is queued before it has committed and
    /// before anything queued after it begins. A checkpoint on another connection copies only the frames that exist
    /// when it starts, so under a steady stream of writes it never catches up and the log never starts over: it
    /// grows until a commit crosses SQLite's autocheckpoint threshold and checkpoints everything on the commit path.
    /// Here no write can come in between: every frame is copied (unless a reader still needs old ones) and the next
    /// transaction starts the log from its beginning. Right after a background checkpoint few frames remain, so
    /// this holds the writer only briefly.
    /// </summary>
    public Task<WalCheckpointResult> CheckpointAsync()
    {
        var pending = new PendingCheckpoint();
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<WalCheckpointResult>(new ObjectDisposedException(nameof(SqliteWriteQueue), "The database writer is shutting down."));
    }

    /// <summary>Commits what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
    }

    /// <summary>For containers disposed synchronously: the same, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void WriteLoop()
    {
        var pending = new List<IPendingWrite>(MaxBatch);
        SqliteWriteBatch? batch = null;
        try
        {
            while (WaitForWrites())
            {
                if (_queue.Reader.TryPeek(out var first) && first is PendingCheckpoint checkpoint)
                {
                    _queue.Reader.TryRead(out _);
                    batch = RunCheckpoint(checkpoint, batch);
                    continue;
                }

                // A batch ends before a checkpoint: it runs between transactions.
                while (pending.Count < MaxBatch && _queue.Reader.TryPeek(out var next) && next is not PendingCheckpoint && _queue.Reader.TryRead(out var write))
                {
                    pending.Add(write);
                }

                try
                {
                    batch ??= new SqliteWriteBatch(_open(CancellationToken.None).GetAwaiter().GetResult());
                    batch.Begin();
                    foreach (var write in pending)
                    {
                        write.Run(batch);
                    }

                    batch.Commit();
                    Interlocked.Increment(ref _commits);
                    foreach (var write in pending)
                    {
                        write.Complete();
                    }
                }
                catch (Exception ex)
                {
                    // Nothing of the batch is committed: every writer gets the error.
                    WriteFailed(_logger, pending.Count, ex);
                    foreach (var write in pending)
                    {
                        write.Fail(ex);
                    }

                    batch?.Dispose();
                    batch = null;
                }

                pending.Clear();
            }
        }
        finally
        {
            batch?.Dispose();
            _stopped.TrySetResult();
        }
    }

    private SqliteWriteBatch? RunCheckpoint(PendingCheckpoint checkpoint, SqliteWriteBatch? batch)
    {
        try
        {
            batch ??= new SqliteWriteBatch(_open(CancellationToken.None).GetAwaiter().GetResult());
            checkpoint.Completion.TrySetResult(WalCheckpointResult.Run(batch.Connection, "PASSIVE"));
            return batch;
        }
        catch (Exception ex)
        {
            // Nothing is lost: the log keeps every frame; the connection is opened afresh for the next batch.
            CheckpointFailed(_logger, ex);
            checkpoint.Completion.TrySetException(ex);
            batch?.Dispose();
            return null;
        }
    }

    /// <summary>Blocks this thread until a write is queued; false once the queue is completed and empty.</summary>
    private bool WaitForWrites()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    [LoggerMessage(1, LogLevel.Error, "Committing {Count} database writes failed; none were stored")]
    private static partial void WriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Checkpointing the write-ahead log on the writer's connection failed")]
    private static partial void CheckpointFailed(ILogger logger, Exception exception);

    private interface IPendingWrite
    {
        void Run(SqliteWriteBatch batch);

        void Complete();

        void Fail(Exception exception);
    }

    /// <summary>Queued like a write so that it keeps its place in the order; run alone, outside any transaction.</summary>
    private sealed class PendingCheckpoint : IPendingWrite
    {
        public TaskCompletionSource<WalCheckpointResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteWriteBatch batch) => throw new InvalidOperationException("A checkpoint does not run inside a batch.");

        public void Complete()
        {
        }

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    private sealed class PendingWrite<T>(Func<SqliteWriteBatch, T> write) : IPendingWrite
    {
        private const int SqliteIoError = 10;
        private const int SqliteFull = 13;

        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteWriteBatch batch)
        {
            _error = null;
            batch.Savepoint();
            try
            {
                _result = write(batch);
                batch.Release();
            }
            catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: SqliteIoError or SqliteFull })
            {
                // The write's own failure (a conflict, a bad value): undo it alone; the batch goes on. I/O errors
                // (SQLITE_IOERR, SQLITE_FULL) end the batch instead.
                batch.RollbackToSavepoint();
                _error = ex;
            }
        }

        public void Complete()
        {
            if (_error is null)
            {
                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}

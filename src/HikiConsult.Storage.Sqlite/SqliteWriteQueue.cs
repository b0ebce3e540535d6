using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Storage.Sqlite;

/// <summary>
/// The one writer of a SQLite file. SQLite lets one connection write at a time, and a connection that finds the
/// lock taken sleeps in growing steps (1, 2, 5, 10 … 100 ms) before it retries: with several writers those sleeps
/// become the tail latency of every commit. Here every write of the process is queued and one connection commits
/// whatever is queued in one transaction (group commit). Each write runs under its own savepoint, so one that
/// throws is undone alone and fails alone; a write's task completes only after its transaction has committed.
/// <para>
/// Nobody waits for the writer: the thread that queues a write while no commit runs becomes the writer for one
/// batch (its own write and whatever was queued with it), so the common case of one write at a time commits on
/// its caller's thread and the caller goes on without a hand-off. A second thread or a wake-up per write costs more
/// than the commit itself here (a commit of a few rows is ~0.1 ms; waking a thread is a system call and a
/// context switch on each side). What queues up meanwhile is committed by a thread-pool work item, a bounded
/// number of batches at a time. <see cref="CheckpointAsync"/> checkpoints between two transactions, which only the
/// writer can do while writes keep coming.
/// </para>
/// </summary>
public sealed partial class SqliteWriteQueue : IAsyncDisposable, IDisposable, IThreadPoolWorkItem
{
    /// <summary>Most writes committed in one transaction.</summary>
    public const int MaxBatch = 256;

    /// <summary>Batches a thread-pool work item commits before it makes way for other work (and requeues itself).</summary>
    private const int BatchesPerWorkItem = 16;

    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly ILogger<SqliteWriteQueue> _logger;
    private readonly ConcurrentQueue<IPendingWrite> _queue = new();

    // Touched only by the thread that holds _writing.
    private readonly List<IPendingWrite> _pending = new(MaxBatch);

    /// <summary>
    /// A checkpoint taken off the queue that ended a batch; it runs next. The queue is never peeked: a peek makes
    /// <see cref="ConcurrentQueue{T}"/> keep every later dequeued item referenced from its segment, and each dead
    /// segment in the old generation then keeps its young successor alive through every collection, promoting
    /// every write.
    /// </summary>
    private IPendingWrite? _next;
    private SqliteWriteBatch? _batch;
    private bool _closed;

    /// <summary>1 while a thread is the writer (commits, or is handing over to the pool).</summary>
    private int _writing;
    private volatile bool _closing;

    /// <summary>Released each time a writer lets go while the queue is closing: what a disposing thread waits for.</summary>
    private readonly SemaphoreSlim _letGo = new(0);
    private long _commits;

    /// <param name="open">Opens the writer's connection (with its pragmas); called again after a failed commit.</param>
    public SqliteWriteQueue(Func<CancellationToken, Task<SqliteConnection>> open, ILogger<SqliteWriteQueue> logger)
    {
        _open = open;
        _logger = logger;
    }

    /// <summary>Commits so far (for tests and diagnostics).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Runs <paramref name="write"/> on the writer's connection inside a transaction and completes with its result
    /// once that transaction has committed: before this returns when no other commit was running (the caller's
    /// thread committed it), later otherwise. The write must not commit, roll back or keep the batch.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteBatch, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync(static (batch, write) => write(batch), write);
    }

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{SqliteWriteBatch, T})"/>, with <paramref name="state"/> passed to
    /// <paramref name="write"/>: a static write with its state costs no closure, for writes made on every message.
    /// </summary>
    public Task<T> WriteAsync<TState, T>(Func<SqliteWriteBatch, TState, T> write, TState state)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_closing)
        {
            return Task.FromException<T>(ShuttingDown());
        }

        var pending = new PendingWrite<TState, T>(write, state);
        _queue.Enqueue(pending);
        WriteIfIdle(maxBatches: 1);
        return pending.Completion.Task;
    }

    /// <summary>
    /// Checkpoints the write-ahead log on the writer's connection, after what is queued before it has committed and
    /// before anything queued after it begins. A checkpoint on another connection copies only the frames that exist
    /// when it starts, so under a steady stream of writes it never catches up and the log never starts over: it
    /// grows until a commit crosses SQLite's autocheckpoint threshold and checkpoints everything on the commit path.
    /// Here no write can come in between: every frame is copied (unless a reader still needs old ones) and the next
    /// transaction starts the log from its beginning. Right after a background checkpoint few frames remain to copy,
    /// but this checkpoint is the one that reaches the end of the log, so SQLite syncs the database file in it: that
    /// sync, of every page copied since the file was last flushed, is most of the time it holds the writer (a host
    /// can flush the file after its background checkpoints to keep it short).
    /// <para>
    /// A PASSIVE checkpoint (the default) copies no frame past the snapshot of the oldest reader, and SQLite starts
    /// the log over at the next write only if no reader that began before the copy still reads it then: under reads
    /// that always overlap, the log goes on growing. With <paramref name="waitForReaders"/> the checkpoint is a
    /// RESTART: it waits up to that long for those readers to finish (readers that begin meanwhile read the newest
    /// snapshot, then the database file once the log is all copied), copies everything, and the next write starts the
    /// log over; the result is busy if they did not finish in time. The writer is held for that wait.
    /// </para>
    /// </summary>
    public Task<WalCheckpointResult> CheckpointAsync(TimeSpan? waitForReaders = null) => CheckpointAsync(waitForReaders, truncate: false);

    /// <summary>
    /// As <see cref="CheckpointAsync(TimeSpan?)"/>; with <paramref name="truncate"/> a TRUNCATE checkpoint, which also
    /// cuts the log file to zero bytes once all of it is copied, so that no older page images remain in it (erasure).
    /// </summary>
    public Task<WalCheckpointResult> CheckpointAsync(TimeSpan? waitForReaders, bool truncate)
    {
        if (_closing)
        {
            return Task.FromException<WalCheckpointResult>(ShuttingDown());
        }

        var pending = new PendingCheckpoint(waitForReaders, truncate);
        _queue.Enqueue(pending);
        WriteIfIdle(maxBatches: 1);
        return pending.Completion.Task;
    }

    /// <summary>Commits what is queued, then stops; later writes are refused.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;

        // Become the writer once the current one is done (it may be a caller's thread inside a commit).
        while (Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
        {
            await _letGo.WaitAsync();
        }

        Close();
    }

    /// <summary>For containers disposed synchronously: the same, blocking.</summary>
    public void Dispose()
    {
        _closing = true;
        while (Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
        {
            _letGo.Wait();
        }

        Close();
    }

    /// <summary>Runs on the thread pool when writes queued up behind a commit.</summary>
    void IThreadPoolWorkItem.Execute() => Write(BatchesPerWorkItem);

    private static ObjectDisposedException ShuttingDown() => new(nameof(SqliteWriteQueue), "The database writer is shutting down.");

    /// <summary>Becomes the writer unless another thread is: commits up to <paramref name="maxBatches"/> batches here.</summary>
    private void WriteIfIdle(int maxBatches)
    {
        if (Volatile.Read(ref _writing) == 0 && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            Write(maxBatches);
        }
    }

    /// <summary>Holding <see cref="_writing"/>: commits batches until the queue is empty, or hands the rest to the pool.</summary>
    private void Write(int maxBatches)
    {
        for (var batches = 0; ; batches++)
        {
            if (_next is null && _queue.IsEmpty)
            {
                // A full fence: either a disposing thread sees the flag free, or this one sees it closing.
                Interlocked.Exchange(ref _writing, 0);
                if (_closing)
                {
                    _letGo.Release();
                }

                // A write queued between the check and the release saw a writer and left its write to us.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                {
                    return;
                }
            }

            if (batches >= maxBatches)
            {
                // Still the writer: the pool item takes over with the flag held, so the order of commits stays the queue's.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            CommitNext();
        }
    }

    /// <summary>Shuts the writer down: commits everything queued, closes the connection, refuses what comes later.</summary>
    private void Close()
    {
        if (!_closed)
        {
            while (_next is not null || !_queue.IsEmpty)
            {
                CommitNext();
            }

            DropBatch();
            _closed = true;
        }

        Write(int.MaxValue);
    }

    /// <summary>Holding <see cref="_writing"/>: the next checkpoint, or the next batch of writes in one transaction.</summary>
    private void CommitNext()
    {
        var first = _next;
        _next = null;
        if (first is null && !_queue.TryDequeue(out first))
        {
            return;
        }

        if (_closed)
        {
            // Queued after the writer closed.
            first.Fail(ShuttingDown());
            while (_queue.TryDequeue(out var late))
            {
                late.Fail(ShuttingDown());
            }

            return;
        }

        if (first is PendingCheckpoint checkpoint)
        {
            RunCheckpoint(checkpoint);
            return;
        }

        // A batch ends before a checkpoint: it runs between transactions.
        var pending = _pending;
        pending.Add(first);
        while (pending.Count < MaxBatch && _queue.TryDequeue(out var write))
        {
            if (write is PendingCheckpoint)
            {
                _next = write;
                break;
            }

            pending.Add(write);
        }

        try
        {
            var batch = Batch();
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

            DropBatch();
        }
        finally
        {
            pending.Clear();
        }
    }

    private void RunCheckpoint(PendingCheckpoint checkpoint)
    {
        try
        {
            var connection = Batch().Connection;
            checkpoint.Completion.TrySetResult(checkpoint.WaitForReaders is { } wait
                ? WalCheckpointResult.RunWaitingForReaders(connection, wait, checkpoint.Truncate ? "TRUNCATE" : "RESTART")
                : WalCheckpointResult.Run(connection, checkpoint.Truncate ? "TRUNCATE" : "PASSIVE"));
        }
        catch (Exception ex)
        {
            // Nothing is lost: the log keeps every frame; the connection is opened afresh for the next batch.
            CheckpointFailed(_logger, ex);
            checkpoint.Completion.TrySetException(ex);
            DropBatch();
        }
    }

    /// <summary>The writer's connection, opened on first use and again after a failure dropped it.</summary>
    private SqliteWriteBatch Batch() => _batch ??= new SqliteWriteBatch(_open(CancellationToken.None).GetAwaiter().GetResult());

    private void DropBatch()
    {
        _batch?.Dispose();
        _batch = null;
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
    private sealed class PendingCheckpoint(TimeSpan? waitForReaders, bool truncate) : IPendingWrite
    {
        public TimeSpan? WaitForReaders { get; } = waitForReaders;

        public bool Truncate { get; } = truncate;

        public TaskCompletionSource<WalCheckpointResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteWriteBatch batch) => throw new InvalidOperationException("A checkpoint does not run inside a batch.");

        public void Complete()
        {
        }

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    private sealed class PendingWrite<TState, T>(Func<SqliteWriteBatch, TState, T> write, TState state) : IPendingWrite
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
                _result = write(batch, state);
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

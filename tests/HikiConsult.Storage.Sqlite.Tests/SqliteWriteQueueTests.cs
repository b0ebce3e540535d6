using HikiConsult.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace HikiConsult.Storage.Sqlite.Tests;

/// <summary>
/// The single writer: an idle writer commits on the caller's thread, writes queued behind a commit are committed
/// together, one write's failure is undone alone, a failed commit fails the whole batch.
/// </summary>
public sealed class SqliteWriteQueueTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hikiconsult-writer-").FullName;
    private SqliteWriteQueue _queue = null!;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "writes.db")}";

    public async Task InitializeAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "PRAGMA journal_mode = WAL;" +
            "CREATE TABLE parent (id INTEGER PRIMARY KEY);" +
            "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, " +
            "parent_id INTEGER NULL REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);";
        await command.ExecuteNonQueryAsync();
        _queue = new SqliteWriteQueue(OpenWriterAsync, NullLogger<SqliteWriteQueue>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Concurrent_writes_are_committed_together_and_visible_once_acknowledged()
    {
        using var gate = new ManualResetEventSlim();
        var blocker = BlockWriter(gate);
        var writes = Enumerable.Range(0, 200).Select(i => _queue.WriteAsync(batch => Insert(batch, $"item-{i}"))).ToArray();
        gate.Set();
        await blocker;

        foreach (var write in writes)
        {
            var id = await write;
            Assert.True(await ExistsAsync(id), $"row {id} acknowledged but not readable from another connection");
        }

        Assert.Equal(200, await CountAsync());

        // The blocker's batch, then one for the 200 queued meanwhile (MaxBatch is 256).
        Assert.Equal(2, _queue.Commits);
    }

    [Fact]
    public async Task A_write_to_an_idle_writer_commits_on_the_callers_thread_before_WriteAsync_returns()
    {
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = 0;
        var write = _queue.WriteAsync(batch =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            return Insert(batch, "inline");
        });

        // Completed already: the caller goes on without waiting for another thread.
        Assert.True(write.IsCompletedSuccessfully);
        Assert.Equal(caller, ranOn);
        Assert.True(await ExistsAsync(await write));
        Assert.Equal(1, _queue.Commits);
    }

    [Fact]
    public async Task Writes_from_many_threads_all_commit_in_each_threads_order()
    {
        // Several threads race to become the writer; each thread's writes must commit, once, in its own order.
        const int Threads = 8;
        const int PerThread = 250;
        var writes = await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
        {
            var ids = new List<long>(PerThread);
            var inFlight = new List<Task<long>>();
            for (var i = 0; i < PerThread; i++)
            {
                var name = $"t{t}-{i:D3}";
                inFlight.Add(_queue.WriteAsync(batch => Insert(batch, name)));
                if (inFlight.Count == 16)
                {
                    ids.AddRange(await Task.WhenAll(inFlight));
                    inFlight.Clear();
                }
            }

            ids.AddRange(await Task.WhenAll(inFlight));
            return ids;
        })));

        Assert.Equal(Threads * PerThread, await CountAsync());
        foreach (var ids in writes)
        {
            // Row ids follow commit order: each thread's rows were inserted in the order it queued them.
            Assert.Equal(ids.Order(), ids);
        }
    }

    [Fact]
    public async Task Dispose_waits_for_the_commit_running_on_another_thread()
    {
        using var gate = new ManualResetEventSlim();
        var blocker = BlockWriter(gate);
        var queued = _queue.WriteAsync(batch => Insert(batch, "queued"));
        var disposing = _queue.DisposeAsync().AsTask();

        // "queued" can only commit after the blocked batch: done by the time dispose completes, not before.
        var committedWhenDisposed = disposing.ContinueWith(_ => queued.IsCompletedSuccessfully, TaskContinuationOptions.ExecuteSynchronously);
        Assert.False(disposing.IsCompleted, "dispose returned while a commit was still running");
        gate.Set();

        Assert.True(await committedWhenDisposed, "dispose returned before the queued write was committed");
        Assert.True(await blocker);
        Assert.True(await ExistsAsync(await queued));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _queue.WriteAsync(batch => Insert(batch, "too-late")));
    }

    [Fact]
    public async Task A_committed_write_is_no_longer_reachable_from_the_queue()
    {
        // What a queue keeps of a write after its commit, every collection promotes (and a dead queue segment in
        // the old generation keeps its successors alive): nothing of a committed write may stay reachable.
        await _queue.CheckpointAsync();
        var (payload, write) = WriteWithPayload();
        await write;

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(payload.IsAlive, "the committed write's delegate is still reachable from the writer");
    }

    [Fact]
    public async Task A_failing_write_is_undone_alone_and_the_rest_of_its_batch_commits()
    {
        using var gate = new ManualResetEventSlim();
        var blocker = BlockWriter(gate);
        var before = _queue.WriteAsync(batch => Insert(batch, "before"));
        var failing = _queue.WriteAsync<long>(batch =>
        {
            Insert(batch, "half-done");
            throw new InconsistentStateException("conflict", "2", "1");
        });
        var duplicate = _queue.WriteAsync(batch => Insert(batch, "before"));
        var after = _queue.WriteAsync(batch => Insert(batch, "after"));
        gate.Set();
        await blocker;

        await before;
        await after;
        await Assert.ThrowsAsync<InconsistentStateException>(() => failing);
        var constraint = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(19, constraint.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(["after", "before"], await NamesAsync());
    }

    [Fact]
    public async Task A_failing_write_alone_in_its_batch_is_undone_and_the_writer_goes_on()
    {
        // Nothing else queued: the write is a batch of its own.
        var failing = _queue.WriteAsync<long>(batch =>
        {
            Insert(batch, "half-done");
            throw new InconsistentStateException("conflict", "2", "1");
        });
        await Assert.ThrowsAsync<InconsistentStateException>(() => failing);
        var commits = _queue.Commits;

        await _queue.WriteAsync(batch => Insert(batch, "next"));

        Assert.Equal(["next"], await NamesAsync());
        Assert.Equal(commits + 1, _queue.Commits);
    }

    [Fact]
    public async Task A_failed_commit_fails_every_write_of_the_batch_and_stores_none()
    {
        using var gate = new ManualResetEventSlim();
        var blocker = BlockWriter(gate);
        var innocent = _queue.WriteAsync(batch => Insert(batch, "innocent"));

        // A deferred foreign key is checked at COMMIT: the whole transaction fails there.
        var orphan = _queue.WriteAsync(batch => Insert(batch, "orphan", parentId: 42));
        gate.Set();
        await blocker;

        await Assert.ThrowsAsync<SqliteException>(() => innocent);
        await Assert.ThrowsAsync<SqliteException>(() => orphan);
        Assert.Empty(await NamesAsync());

        // The writer recovers: the next write commits (the refused COMMIT left its transaction open on the pooled
        // connection; the failed batch rolled it back).
        await _queue.WriteAsync(batch => Insert(batch, "next"));
        Assert.Equal(["next"], await NamesAsync());
    }

    [Fact]
    public async Task Writes_after_dispose_are_refused_and_queued_ones_are_committed_first()
    {
        var queued = Enumerable.Range(0, 50).Select(i => _queue.WriteAsync(batch => Insert(batch, $"late-{i}"))).ToArray();
        await _queue.DisposeAsync();

        await Task.WhenAll(queued);
        Assert.Equal(50, await CountAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _queue.WriteAsync(batch => Insert(batch, "too-late")));
    }

    [Fact]
    public async Task A_prepared_statement_binds_every_kind_of_value_and_runs_again_and_again()
    {
        var ids = await _queue.WriteAsync(batch =>
        {
            // Text from a string, from a slice of one and as UTF-8; a null string binds NULL.
            return new[]
            {
                InsertStatement(batch).Bind(1, "ひきこもり 相談").Bind(2, (string?)null).ExecuteScalarInt64(),
                InsertStatement(batch).BindText(1, "span text".AsSpan(0, 4)).BindNull(2).ExecuteScalarInt64(),
                InsertStatement(batch).BindUtf8(1, "utf-8 ✓"u8).BindNull(2).ExecuteScalarInt64(),
                InsertStatement(batch).Bind(1, "plain").BindNull(2).ExecuteScalarInt64(),
            };
        });

        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(["plain", "span", "utf-8 ✓", "ひきこもり 相談"], await NamesAsync());
    }

    [Fact]
    public async Task A_statement_that_fails_reports_SQLites_extended_code_and_can_run_again()
    {
        await _queue.WriteAsync(batch => InsertStatement(batch).Bind(1, "taken").BindNull(2).ExecuteScalarInt64());

        var conflict = await Assert.ThrowsAsync<SqliteException>(() =>
            _queue.WriteAsync(batch => InsertStatement(batch).Bind(1, "taken").BindNull(2).ExecuteScalarInt64()));
        Assert.Equal(2067, conflict.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_UNIQUE

        // Left reset: the same prepared statement serves the next write, and an update without a row returns null.
        var next = await _queue.WriteAsync(batch => InsertStatement(batch).Bind(1, "next").BindNull(2).ExecuteScalarInt64());
        var none = await _queue.WriteAsync(batch =>
            batch.Statement("UPDATE item SET name = ?1 WHERE id = ?2 RETURNING id").Bind(1, "x").Bind(2, -1).ExecuteScalarInt64());
        var changed = await _queue.WriteAsync(batch =>
            batch.Statement("UPDATE item SET name = ?1 WHERE id = ?2").Bind(1, "renamed").Bind(2, next!.Value).Execute());

        Assert.Null(none);
        Assert.Equal(1, changed);
        Assert.Equal(["renamed", "taken"], await NamesAsync());
    }

    [Fact]
    public async Task A_prepared_statement_allocates_nothing_per_execution()
    {
        var names = Enumerable.Range(0, 201).Select(i => $"row-{i:D3}").ToArray();
        var allocated = await _queue.WriteAsync(batch =>
        {
            // Warm up (the first call prepares the statement and initialises what it uses), then count this thread's allocations.
            Insert(batch, 0);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 1; i < names.Length; i++)
            {
                Insert(batch, i);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.True(allocated < 200, $"200 executions allocated {allocated} bytes");
        Assert.Equal(names, await NamesAsync());

        void Insert(SqliteWriteBatch batch, int i) =>
            batch.Statement("INSERT INTO item (id, name) VALUES (?1, ?2)").Bind(1, i + 1).Bind(2, names[i]).Execute();
    }

    [Fact]
    public async Task A_checkpoint_that_waits_for_readers_copies_past_their_snapshots_and_the_log_starts_over()
    {
        await _queue.WriteAsync(batch => Insert(batch, "first"));
        var timeoutBefore = await _queue.WriteAsync(BusyTimeout);

        // A reader on the snapshot after "first", still reading while more is written.
        await using var reader = new SqliteConnection(ConnectionString + ";Pooling=False");
        await reader.OpenAsync();
        await using (var read = reader.CreateCommand())
        {
            read.CommandText = "BEGIN; SELECT COUNT(*) FROM item;";
            await read.ExecuteScalarAsync();
        }

        await _queue.WriteAsync(batch => Insert(batch, "second"));

        // Without waiting, nothing past the reader's snapshot is copied; waiting briefly, the reader is still there.
        Assert.False((await _queue.CheckpointAsync()).CopiedAll);
        var tooShort = await _queue.CheckpointAsync(waitForReaders: TimeSpan.FromMilliseconds(20));
        Assert.True(tooShort.Busy && !tooShort.CopiedAll, $"busy {tooShort.Busy}, {tooShort.CheckpointedFrames} of {tooShort.LogFrames} frames copied");

        // The reader finishes while a checkpoint waits for it: everything is copied, and the next write starts the
        // log over (it reuses the file's beginning instead of growing it).
        // (From another thread: an idle writer's work runs on the thread that asks for it.)
        var waiting = Task.Run(() => _queue.CheckpointAsync(waitForReaders: TimeSpan.FromSeconds(10)));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted, "the checkpoint did not wait for the reader");
        await using (var end = reader.CreateCommand())
        {
            end.CommandText = "COMMIT;";
            await end.ExecuteNonQueryAsync();
        }

        var result = await waiting;
        Assert.True(result.CopiedAll, $"{result.CheckpointedFrames} of {result.LogFrames} frames copied");
        var walFile = Path.Combine(_directory, "writes.db-wal");
        var size = new FileInfo(walFile).Length;
        await _queue.WriteAsync(batch => Insert(batch, "third"));
        Assert.Equal(size, new FileInfo(walFile).Length);
        Assert.Equal(timeoutBefore, await _queue.WriteAsync(BusyTimeout));
        Assert.Equal(["first", "second", "third"], await NamesAsync());

        static long BusyTimeout(SqliteWriteBatch batch)
        {
            using var command = batch.Connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            return (long)command.ExecuteScalar()!;
        }
    }

    [Fact]
    public async Task A_checkpoint_runs_between_two_batches_copies_every_frame_and_the_log_then_starts_over()
    {
        using var gate = new ManualResetEventSlim();
        var blocker = BlockWriter(gate);
        var before = _queue.WriteAsync(batch => Insert(batch, "before"));
        var checkpoint = _queue.CheckpointAsync();
        var after = _queue.WriteAsync(batch => Insert(batch, "after"));
        gate.Set();
        await blocker;
        await before;
        var result = await checkpoint;
        await after;

        // The blocker's batch, "before" alone (the batch ends at the checkpoint), then "after".
        Assert.Equal(3, _queue.Commits);
        Assert.True(result.CopiedAll, $"{result.CheckpointedFrames} of {result.LogFrames} frames copied");
        Assert.True(result.LogFrames > 0);

        // The log started over at "after": writing again reuses its beginning instead of growing the file.
        var walFile = Path.Combine(_directory, "writes.db-wal");
        var size = new FileInfo(walFile).Length;
        await _queue.WriteAsync(batch => Insert(batch, "again"));
        Assert.Equal(size, new FileInfo(walFile).Length);
        Assert.Equal(["after", "again", "before"], await NamesAsync());
    }

    [Fact]
    public async Task Without_a_checkpoint_on_the_writer_the_log_grows_with_every_commit()
    {
        // The contrast to the test above: commits append frames; nothing starts the log over.
        await _queue.WriteAsync(batch => Insert(batch, "first"));
        var walFile = Path.Combine(_directory, "writes.db-wal");
        var size = new FileInfo(walFile).Length;
        await _queue.WriteAsync(batch => Insert(batch, "second"));
        Assert.True(new FileInfo(walFile).Length > size);
    }

    /// <summary>A write whose delegate holds an object only it references (not inlined: no local keeps it alive).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private (WeakReference Payload, Task<long> Write) WriteWithPayload()
    {
        var payload = new byte[1024];
        return (new WeakReference(payload), _queue.WriteAsync(batch => Insert(batch, $"payload-{payload.Length}")));
    }

    /// <summary>
    /// Holds the writer inside a write until the gate opens, so what is queued meanwhile forms the next batch. The
    /// blocking write is queued from another thread: an idle writer commits on the caller's thread.
    /// </summary>
    private Task<bool> BlockWriter(ManualResetEventSlim gate)
    {
        using var entered = new ManualResetEventSlim();
        var blocker = Task.Run(() => _queue.WriteAsync(_ =>
        {
            entered.Set();
            return gate.Wait(TimeSpan.FromSeconds(30));
        }));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the writer did not start");
        return blocker;
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static long Insert(SqliteWriteBatch batch, string name, long? parentId = null)
    {
        var insert = batch.Command("insert", connection =>
        {
            var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO item (name, parent_id) VALUES ($name, $parent) RETURNING id";
            command.Parameters.Add("$name", SqliteType.Text);
            command.Parameters.Add("$parent", SqliteType.Integer);
            return command;
        });
        insert.Parameters[0].Value = name;
        insert.Parameters[1].Value = (object?)parentId ?? DBNull.Value;
        return (long)insert.ExecuteScalar()!;
    }

    private static SqliteStatement InsertStatement(SqliteWriteBatch batch) =>
        batch.Statement("INSERT INTO item (name, parent_id) VALUES (?1, ?2) RETURNING id");

    private async Task<bool> ExistsAsync(long id) => await ScalarAsync($"SELECT COUNT(*) FROM item WHERE id = {id}") == 1;

    private Task<long> CountAsync() => ScalarAsync("SELECT COUNT(*) FROM item");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> NamesAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM item ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}

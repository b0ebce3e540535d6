using HikiConsult.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>
/// The write-ahead log is copied into the database file in the background, not on the commit path: with the
/// commit-path threshold far away, acknowledged events still reach the main file within a few checkpoint ticks,
/// and with the reset threshold low the writer's own checkpoints (between transactions) lose nothing.
/// </summary>
[Trait("Storage", "Sqlite")]
public sealed class CheckpointTests : IAsyncLifetime
{
    private readonly TestServerApp _app = new(new Dictionary<string, string?>
    {
        ["Storage:CheckpointInterval"] = "00:00:00.050",
        ["Storage:WalAutoCheckpointPages"] = "1000000",
        ["Storage:WalResetPages"] = "10",
        ["Logging:LogLevel:HikiConsult.Server.Storage.WalCheckpointer"] = "Debug",

        // Sends back to back: while writes keep coming a checkpoint never copies the whole log, which is when the
        // writer has to start it over (paced sends let SQLite start it over by itself between two ticks).
        ["Hubs:SendPerSecond"] = "100000",
        ["Hubs:SendBurst"] = "100000",
    });

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Acknowledged_events_reach_the_database_file_through_background_checkpoints()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;
        var last = await device.SendTextAsync(s.Session.Id, "Checked into the main file.");

        // Only the main file, copied without its -wal: it holds what checkpoints have copied so far, nothing more.
        long inMainFile = 0;
        await Poll.UntilAsync(() => (inMainFile = CountInMainFileOnly(s.Session.Id)) >= last.Seq, "the last message in the main file", TimeSpan.FromSeconds(30));
        Assert.Equal(last.Seq, inMainFile);
    }

    [Fact]
    public async Task Once_the_log_holds_the_reset_threshold_the_writer_starts_it_over_and_nothing_acknowledged_is_lost()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;

        // Every acknowledged event adds frames; a background tick that finds 10 or more hands the rest to the writer.
        var before = Resets();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long lastSeq;
        var sent = 0;
        do
        {
            lastSeq = (await device.SendTextAsync(s.Session.Id, $"Message {++sent}.")).Seq;
        }
        while (Resets() == before && DateTime.UtcNow < deadline);

        Assert.True(Resets() > before, "the writer never started the log over");
        Assert.DoesNotContain(_app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("checkpoint", StringComparison.OrdinalIgnoreCase));
        var history = await counselor.JoinAsync(s.Session.Id, afterSeq: 0);
        Assert.Equal(lastSeq, history.Events[^1].Seq);
        Assert.Equal(sent, history.Events.Count(e => e.Kind == "text"));
    }

    [Fact]
    public async Task An_idle_log_that_was_started_over_is_left_alone()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;

        // After a reset the log keeps its frames, all copied, until the next write starts it over: an idle tick
        // has nothing to hand to the writer. Each burst ends with more than the reset threshold's frames written
        // since its last reset (unless a tick fell into its last sends), then a few idle ticks follow.
        for (var burst = 0; burst < 3; burst++)
        {
            var before = Resets();
            for (var i = 0; (i < 40 || Resets() == before) && i < 5_000; i++)
            {
                await device.SendTextAsync(s.Session.Id, $"Burst {burst}, message {i}.");
            }

            Assert.True(Resets() > before, "the writer never started the log over");

            for (var i = 0; i < 12; i++)
            {
                await device.SendTextAsync(s.Session.Id, $"Burst {burst}, last message {i}.");
            }

            var idleFrom = Resets();
            await TicksAsync(8);
            Assert.InRange(Resets() - idleFrom, 0, 1);
        }
    }

    [Fact]
    public async Task The_database_file_is_flushed_after_background_checkpoints_that_copied_frames_and_not_while_idle()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;

        // So that the writer's checkpoint, which syncs the file and holds every commit, finds little left to flush.
        var before = Flushes();
        for (var i = 0; Flushes() == before && i < 5_000; i++)
        {
            await device.SendTextAsync(s.Session.Id, $"Message {i}.");
        }

        Assert.True(Flushes() > before, "the database file was never flushed after a background checkpoint");
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains("cannot be flushed", StringComparison.Ordinal));

        // Idle: the first ticks copy the last frames (and the log may start over); after that nothing is new to flush.
        int idleFrom;
        var settling = 0;
        do
        {
            idleFrom = Flushes();
            await TicksAsync(6);
        }
        while (Flushes() != idleFrom && ++settling < 30);

        idleFrom = Flushes();
        await TicksAsync(10);
        Assert.Equal(idleFrom, Flushes());
    }

    [Fact]
    public async Task A_log_that_overlapping_readers_keep_from_starting_over_is_started_over_by_waiting_for_them()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;

        // Readers that always overlap, each in a read transaction for 10-15 ms: at each write, one of them began
        // before the writer's last copy, so SQLite alone would not start the log over and it would grow.
        using var stop = new CancellationTokenSource();
        var readers = Task.Run(async () =>
        {
            var open = new Queue<SqliteConnection>();
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var reader = new SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False");
                    reader.Open();
                    using (var read = reader.CreateCommand())
                    {
                        read.CommandText = "BEGIN; SELECT COUNT(*) FROM session_events;";
                        read.ExecuteScalar();
                    }

                    open.Enqueue(reader);
                    if (open.Count > 2)
                    {
                        open.Dequeue().Dispose();
                    }

                    await Task.Delay(5);
                }
            }
            finally
            {
                while (open.TryDequeue(out var reader))
                {
                    reader.Dispose();
                }
            }
        });

        var wal = new FileInfo(_app.DatabasePath + "-wal");
        var sizes = new long[2];
        for (var half = 0; half < 2; half++)
        {
            // Paced, so that the checkpointer (every 50 ms here) sees the log many times.
            for (var i = 0; i < 300; i++)
            {
                await device.SendTextAsync(s.Session.Id, $"Half {half}, message {i}.");
                await Task.Delay(5);
            }

            wal.Refresh();
            sizes[half] = wal.Length;
        }

        await stop.CancelAsync();
        await readers;

        // The log's file keeps its largest size: it stops growing once the log starts over again and again.
        Assert.True(sizes[1] < sizes[0] * 3 / 2, $"the log grew from {sizes[0]} to {sizes[1]} bytes");
        Assert.Contains(_app.Logs.Lines, l => l.Contains("WAL copied to its end by the writer (RESTART, waiting for readers)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Storage:CheckpointInterval", "00:00:00.001", "CheckpointInterval")]
    [InlineData("Storage:WalResetPages", "65536", "WalResetPages")] // not below the autocheckpoint threshold
    [InlineData("Storage:WalResetPages", "5", "WalResetPages")]
    public async Task Checkpoint_settings_out_of_range_are_refused_at_start(string key, string value, string named)
    {
        await using var app = new TestServerApp(new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Returns once the checkpointer has finished <paramref name="count"/> more ticks (the one under way, if any, and
    /// then whole ones): whatever they would have done (a flush, a reset, and its log line) is done.
    /// </summary>
    private Task TicksAsync(int count)
    {
        var checkpointer = _app.Services.GetRequiredService<WalCheckpointer>();
        var until = checkpointer.TicksCompleted + count;
        return Poll.UntilAsync(() => checkpointer.TicksCompleted >= until, $"{count} checkpoint ticks");
    }

    private int Flushes() => DebugLines("Database file flushed");

    private int Resets() => DebugLines("WAL copied to its end by the writer");

    private int DebugLines(string containing) =>
        _app.Logs.Lines.Count(l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains(containing, StringComparison.Ordinal));

    private long CountInMainFileOnly(string sessionId)
    {
        var copy = Path.Combine(_app.DataDirectory, $"main-only-{Guid.NewGuid():N}.db");
        File.Copy(_app.DatabasePath, copy);
        try
        {
            // A copy taken while a checkpoint writes can be torn or predate the schema: count it as not there yet.
            using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM session_events WHERE session_id = $id";
            command.Parameters.AddWithValue("$id", sessionId);
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return -1;
        }
        finally
        {
            File.Delete(copy);
        }
    }
}

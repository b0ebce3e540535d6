using HikiConsult.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.Tests;

/// <summary>
/// The write-ahead log is copied into the database file in the background, not on the commit path: with the
/// commit-path threshold far away, acknowledged events still reach the main file within a few checkpoint ticks,
/// and with the reset threshold low the writer's own checkpoints (between transactions) lose nothing.
/// </summary>
public sealed class CheckpointTests : IAsyncLifetime
{
    private readonly ServerApp _app = new(new Dictionary<string, string?>
    {
        ["Storage:CheckpointInterval"] = "00:00:00.050",
        ["Storage:WalAutoCheckpointPages"] = "1000000",
        ["Storage:WalResetPages"] = "10",
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
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long inMainFile;
        do
        {
            await Task.Delay(50);
            inMainFile = CountInMainFileOnly(s.Session.Id);
        }
        while (inMainFile < last.Seq && DateTime.UtcNow < deadline);

        Assert.Equal(last.Seq, inMainFile);
    }

    [Theory]
    [InlineData("Storage:CheckpointInterval", "00:00:00.001", "CheckpointInterval")]
    [InlineData("Storage:WalResetPages", "65536", "WalResetPages")] // not below the autocheckpoint threshold
    [InlineData("Storage:WalResetPages", "5", "WalResetPages")]
    public async Task Checkpoint_settings_out_of_range_are_refused_at_start(string key, string value, string named)
    {
        await using var app = new ServerApp(new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

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

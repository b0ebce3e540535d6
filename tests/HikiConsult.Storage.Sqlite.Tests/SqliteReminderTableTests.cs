using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;

namespace HikiConsult.Storage.Sqlite.Tests;

/// <summary>The reminder table Orleans reads after a restart: rows by grain, by ring range, and removal by etag.</summary>
public sealed class SqliteReminderTableTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hikiconsult-reminders-").FullName;
    private readonly SqliteReminderTable _table;

    public SqliteReminderTableTests() =>
        _table = new SqliteReminderTable(new SqliteReminderTableOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "reminders.db")};Pooling=false" }, NullLogger<SqliteReminderTable>.Instance);

    [Fact]
    public async Task A_reminder_is_kept_updated_and_removed_only_with_its_current_etag()
    {
        await _table.StartAsync();
        var grain = GrainId.Create("client-early-consultation", "cli_1");
        var start = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
        var first = await _table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "escalation", StartAt = start, Period = TimeSpan.FromMinutes(1) });

        var read = await _table.ReadRow(grain, "escalation");
        Assert.NotNull(read);
        Assert.Equal(start, read.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(1), read.Period);
        Assert.Equal(first, read.ETag);

        var second = await _table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "escalation", StartAt = start.AddMinutes(5), Period = TimeSpan.FromMinutes(1) });
        Assert.NotEqual(first, second);
        Assert.False(await _table.RemoveRow(grain, "escalation", first!));
        Assert.True(await _table.RemoveRow(grain, "escalation", second!));
        Assert.Null(await _table.ReadRow(grain, "escalation"));
    }

    [Fact]
    public async Task A_silo_reads_the_reminders_of_its_range_of_the_ring_wrapping_around_zero()
    {
        await _table.StartAsync();
        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("client-early-consultation", $"cli_{i}")).ToList();
        foreach (var grain in grains)
        {
            await _table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "escalation", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        var (low, high) = (hashes[10], hashes[30]);
        var inside = await _table.ReadRows(low, high);
        Assert.Equal(grains.Where(g => g.GetUniformHashCode() > low && g.GetUniformHashCode() <= high).Order().ToList(), inside.Reminders.Select(r => r.GrainId).Order().ToList());

        var wrapped = await _table.ReadRows(high, low);
        Assert.Equal(40 - inside.Reminders.Count, wrapped.Reminders.Count);
        Assert.Empty(wrapped.Reminders.Select(r => r.GrainId).Intersect(inside.Reminders.Select(r => r.GrainId)));
        Assert.Single((await _table.ReadRows(grains[3])).Reminders);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

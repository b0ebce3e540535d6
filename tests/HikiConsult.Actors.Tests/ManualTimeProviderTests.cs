using HikiConsult.Actors.TestKit;

namespace HikiConsult.Actors.Tests;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Advance_fires_due_timers_in_due_order_with_the_clock_at_each_due_time()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var fired = new List<string>();
        using var late = time.CreateTimer(_ => fired.Add($"late@{(time.GetUtcNow() - start).TotalSeconds}"), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var periodic = time.CreateTimer(_ => fired.Add($"tick@{(time.GetUtcNow() - start).TotalSeconds}"), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(fired);
        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(["tick@2", "tick@4", "late@5", "tick@6"], fired);
        Assert.Equal(TimeSpan.FromSeconds(7), time.GetUtcNow() - start);
        Assert.Equal(start + TimeSpan.FromSeconds(8), time.NextDueTime);
    }

    [Fact]
    public void Timestamps_follow_the_clock_and_disposed_or_changed_timers_obey()
    {
        var time = new ManualTimeProvider();
        var before = time.GetTimestamp();
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(3, count);
        Assert.Equal(TimeSpan.FromSeconds(3), time.GetElapsedTime(before));

        timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(3, count);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, count);

        timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(5, count);

        timer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        timer.Dispose();
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(5, count);
        Assert.Equal(0, time.ArmedTimerCount);
    }

    [Fact]
    public async Task Task_Delay_on_the_manual_clock_completes_only_when_advanced()
    {
        var time = new ManualTimeProvider();

        var delay = Task.Delay(TimeSpan.FromMinutes(5), time);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));

        await delay.WaitAsync(TestHost.Patience);
    }
}

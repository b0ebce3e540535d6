using HikiConsult.Cohort.SimulatedTime;

namespace HikiConsult.Cohort.Tests;

public sealed class SimulatedClockTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var clock = new SimulatedClock(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.GetUtcNow())), null, TimeSpan.FromHours(3), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.GetUtcNow())), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
        using var beyond = clock.CreateTimer(_ => fired.Add(("beyond", clock.GetUtcNow())), null, TimeSpan.FromDays(2), Timeout.InfiniteTimeSpan);

        var count = clock.AdvanceTo(Start.AddDays(1));

        Assert.Equal(2, count);
        Assert.Equal([("early", Start.AddMinutes(5)), ("late", Start.AddHours(3))], fired);
        Assert.Equal(Start.AddDays(1), clock.GetUtcNow());
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_advance_at_its_last_due_time_on_the_way()
    {
        var clock = new SimulatedClock(Start);
        var fired = new List<DateTimeOffset>();
        using var sweep = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.AdvanceTo(Start.AddHours(1).AddMilliseconds(500));
        clock.AdvanceTo(Start.AddHours(1).AddMilliseconds(900));
        clock.AdvanceTo(Start.AddHours(1).AddSeconds(3));

        Assert.Equal([Start.AddHours(1), Start.AddHours(1).AddSeconds(3)], fired);
    }

    [Fact]
    public void A_disposed_or_stopped_timer_does_not_fire_and_the_clock_never_goes_back()
    {
        var clock = new SimulatedClock(Start);
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var stopped = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        Assert.True(stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

        clock.AdvanceTo(Start.AddHours(1));

        Assert.Equal(0, fired);
        Assert.False(disposed.Change(TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceTo(Start));
    }

    [Fact]
    public async Task A_zero_due_time_fires_on_its_own_as_a_real_timer_would()
    {
        var clock = new SimulatedClock(Start);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = clock.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        await fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void Control_commands_move_the_clock_and_report_it_and_bad_ones_are_refused()
    {
        var clock = new SimulatedClock(Start);

        Assert.Equal("@@simclock now 2030-01-05T00:00:00.0000000+00:00 0", SimulatedClockHook.Execute(clock, "now"));
        using var timer = clock.CreateTimer(_ => { }, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        Assert.Equal("@@simclock now 2030-01-05T02:00:00.0000000+00:00 1", SimulatedClockHook.Execute(clock, "advance 2030-01-05T02:00:00Z"));
        Assert.StartsWith("@@simclock error", SimulatedClockHook.Execute(clock, "advance 2030-01-05T01:00:00Z"));
        Assert.StartsWith("@@simclock error", SimulatedClockHook.Execute(clock, "advance tomorrow"));
        Assert.StartsWith("@@simclock error", SimulatedClockHook.Execute(clock, "rewind"));
        Assert.Equal(Start.AddHours(2), clock.GetUtcNow());
    }
}

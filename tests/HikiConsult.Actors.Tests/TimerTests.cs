using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Configuration;
using HikiConsult.Actors.Tests.Grains;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Actors.Tests;

public sealed class TimerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Ticks_come_at_the_due_time_and_then_every_period()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITimerGrain>("t");
        await grain.Start(new TimerSpec(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2)));

        await host.AdvanceAsync(TimeSpan.FromSeconds(4.9));
        Assert.Equal(0, await grain.Ticks());
        await host.AdvanceAsync(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, await grain.Ticks());
        await host.AdvanceAsync(TimeSpan.FromSeconds(6));
        Assert.Equal(4, await grain.Ticks());
    }

    [Fact]
    public async Task A_tick_never_overlaps_the_previous_one_and_the_period_runs_from_its_end()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITimerGrain>("slow");
        host.Gates().Arm("tick:slow:1");
        await grain.Start(new TimerSpec(Second, Second, HoldTicks: true));

        await host.AdvanceAsync(Second);
        await host.Gates().WhenEntered("tick:slow:1");

        // The first tick is still running after many periods: no second tick starts.
        await host.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, host.Events().CountStartingWith("tick:slow:"));

        host.Gates().Release("tick:slow:1");
        await host.WaitForQuiescenceAsync();
        await host.AdvanceAsync(TimeSpan.FromSeconds(0.9));
        Assert.Equal(1, host.Events().CountStartingWith("tick:slow:"));
        await host.AdvanceAsync(TimeSpan.FromSeconds(0.1));
        Assert.Equal(2, host.Events().CountStartingWith("tick:slow:"));
        Assert.Equal(1, host.Overlap().MaxConcurrency);
    }

    [Fact]
    public async Task A_tick_waits_for_a_running_request_unless_the_timer_interleaves()
    {
        await using var host = await TestHost.StartAsync();
        var plain = host.GetGrain<ITimerGrain>("plain");
        var interleaving = host.GetGrain<ITimerGrain>("interleaving");
        await plain.Start(new TimerSpec(Second, Timeout.InfiniteTimeSpan));
        await interleaving.Start(new TimerSpec(Second, Timeout.InfiniteTimeSpan, Interleave: true));
        host.Gates().Arm("busy-plain");
        host.Gates().Arm("busy-interleaving");
        var holdPlain = plain.Hold("busy-plain");
        var holdInterleaving = interleaving.Hold("busy-interleaving");
        await host.Gates().WhenEntered("busy-plain");
        await host.Gates().WhenEntered("busy-interleaving");

        await host.AdvanceAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(0, host.Events().Count("tick:plain:1"));
        Assert.Equal(1, host.Events().Count("tick:interleaving:1"));
        host.Gates().Release("busy-plain");
        host.Gates().Release("busy-interleaving");
        await Task.WhenAll(holdPlain, holdInterleaving);
        await host.WaitForQuiescenceAsync();
        Assert.Equal(1, host.Events().Count("tick:plain:1"));
    }

    [Fact]
    public async Task A_failing_tick_is_logged_and_the_timer_goes_on()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITimerGrain>("failing");
        await grain.Start(new TimerSpec(Second, Second, ThrowOnTick: 1));

        await host.AdvanceAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(3, await grain.Ticks());
        var logged = Assert.Single(host.Logs.AtLeast(LogLevel.Error), e => e.Exception is InvalidOperationException);
        Assert.Equal("tick 1 failed", logged.Exception!.Message);
        Assert.Contains("timer", logged.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_disposed_timer_stops_and_Change_reschedules()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITimerGrain>("changed");
        await grain.Start(new TimerSpec(Second, Second));
        await host.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await grain.Ticks());

        await grain.ChangeTimer(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        await host.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Equal(2, await grain.Ticks());
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await grain.Ticks());

        await grain.StopTimer();
        await host.AdvanceAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(3, await grain.Ticks());
    }

    [Fact]
    public async Task Timers_are_disposed_when_the_activation_deactivates()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITimerGrain>("ending");
        var runtimeTimers = host.Time.ArmedTimerCount;
        await grain.Start(new TimerSpec(Second, Second));
        await host.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(runtimeTimers + 1, host.Time.ArmedTimerCount);

        await grain.DeactivateSoon();
        await host.WaitForQuiescenceAsync();
        Assert.Equal(runtimeTimers, host.Time.ArmedTimerCount);
        await host.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.False(host.IsActive(grain));
        Assert.Equal(runtimeTimers, host.Time.ArmedTimerCount);
        Assert.Equal(2, host.Events().CountStartingWith("tick:ending:"));
    }

    [Fact]
    public async Task A_timer_does_not_keep_its_grain_alive_unless_KeepAlive()
    {
        await using var host = await TestHost.StartAsync(g => g.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(5)));
        var plain = host.GetGrain<ITimerGrain>("plain");
        var kept = host.GetGrain<ITimerGrain>("kept");
        await plain.Start(new TimerSpec(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
        await kept.Start(new TimerSpec(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), KeepAlive: true));

        await host.AdvanceAsync(TimeSpan.FromMinutes(7));

        Assert.False(host.IsActive(plain));
        Assert.True(host.IsActive(kept));
        Assert.Equal(1, host.Events().Count("deactivate:plain:ActivationIdle"));
        Assert.True(host.Events().CountStartingWith("tick:kept:") >= 13);
    }

    [Fact]
    public async Task A_timer_registered_in_OnActivateAsync_with_no_due_time_ticks()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<IEagerTimerGrain>("eager");

        await grain.Ticks();
        await host.WaitForQuiescenceAsync();
        Assert.Equal(1, await grain.Ticks());

        await host.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, await grain.Ticks());
    }
}

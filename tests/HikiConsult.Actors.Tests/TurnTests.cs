using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task Non_reentrant_requests_never_overlap_across_awaits()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITurnGrain>("serial");

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(grain.Work))).WaitAsync(TestHost.Patience);

        Assert.Equal(1000, host.Overlap().Entries);
        Assert.Equal(1, host.Overlap().MaxConcurrency);
    }

    [Fact]
    public async Task The_overlap_probe_sees_reentrant_requests_interleave()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<IReentrantTurnGrain>("interleaved");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(grain.Work))).WaitAsync(TestHost.Patience);

        Assert.True(host.Overlap().MaxConcurrency > 1, "reentrant requests should have been inside together at some point");
    }

    [Fact]
    public async Task A_reentrant_grain_starts_a_request_while_another_awaits()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<IReentrantTurnGrain>("r");
        host.Gates().Arm("g");

        var holding = grain.Hold("g");
        await host.Gates().WhenEntered("g");
        await grain.ReleaseNormally("g").WaitAsync(TestHost.Patience);
        await holding.WaitAsync(TestHost.Patience);

        Assert.Equal(["start:g", "release:g", "end:g"], host.Events().All);
    }

    [Fact]
    public async Task A_non_reentrant_grain_queues_an_ordinary_request_behind_a_waiting_one()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITurnGrain>("n");
        host.Gates().Arm("g");

        var holding = grain.Hold("g");
        await host.Gates().WhenEntered("g");
        var release = grain.ReleaseNormally("g");
        await host.WaitUntilSettledAsync();

        Assert.False(release.IsCompleted);
        Assert.Equal(["start:g"], host.Events().All);

        host.Gates().Release("g");
        await Task.WhenAll(holding, release).WaitAsync(TestHost.Patience);
        Assert.Equal(["start:g", "end:g", "release:g"], host.Events().All);
    }

    [Fact]
    public async Task AlwaysInterleave_methods_run_while_a_non_reentrant_request_waits()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITurnGrain>("a");
        host.Gates().Arm("g");

        var holding = grain.Hold("g");
        await host.Gates().WhenEntered("g");

        // Queued behind the waiting request, an ordinary call; the [AlwaysInterleave] call must not wait behind it.
        host.Gates().Arm("queued");
        var queued = grain.Hold("queued");
        await grain.Release("g").WaitAsync(TestHost.Patience);
        await holding.WaitAsync(TestHost.Patience);
        await host.Gates().WhenEntered("queued");
        host.Gates().Release("queued");
        await queued.WaitAsync(TestHost.Patience);

        Assert.Equal(["start:g", "release:g", "end:g", "start:queued", "end:queued"], host.Events().All);
    }

    [Fact]
    public async Task ReadOnly_requests_interleave_with_each_other()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITurnGrain>("ro");
        host.Gates().Arm("r1");
        host.Gates().Arm("r2");

        var first = grain.ReadHold("r1");
        var second = grain.ReadHold("r2");

        // Both readers are inside at once: neither has been released yet.
        await host.Gates().WhenEntered("r1");
        await host.Gates().WhenEntered("r2");
        host.Gates().Release("r1");
        host.Gates().Release("r2");
        await Task.WhenAll(first, second).WaitAsync(TestHost.Patience);
    }

    [Fact]
    public async Task A_writer_waits_for_running_readers_and_readers_wait_for_a_running_writer()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITurnGrain>("rw");
        var gates = host.Gates();
        gates.Arm("reader");
        gates.Arm("writer");
        gates.Arm("late-reader");

        var reader = grain.ReadHold("reader");
        await gates.WhenEntered("reader");
        var writer = grain.Hold("writer");
        var lateReader = grain.ReadHold("late-reader");
        await host.WaitUntilSettledAsync();
        Assert.False(gates.HasEntered("writer"));

        // The queued reader does not overtake the queued writer.
        Assert.False(gates.HasEntered("late-reader"));

        gates.Release("reader");
        await gates.WhenEntered("writer");
        await host.WaitUntilSettledAsync();
        Assert.False(gates.HasEntered("late-reader"));

        gates.Release("writer");
        await gates.WhenEntered("late-reader");
        gates.Release("late-reader");
        await Task.WhenAll(reader, writer, lateReader).WaitAsync(TestHost.Patience);
        Assert.Equal(["start:reader", "end:reader", "start:writer", "end:writer", "start:late-reader", "end:late-reader"], host.Events().All);
    }

    [Fact]
    public async Task A_call_cycle_between_non_reentrant_grains_ends_in_TimeoutException()
    {
        await using var host = await TestHost.StartAsync();
        var a = host.GetGrain<ICycleGrain>("a");

        var call = a.CallThrough("b");
        await host.WaitUntilSettledAsync();
        Assert.False(call.IsCompleted);

        // The default response timeout is 30 s, checked every second by the timeout sweep.
        host.Time.Advance(TimeSpan.FromSeconds(29));
        await host.WaitUntilSettledAsync();
        Assert.False(call.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(2));

        var error = await TestHost.FailsWith<TimeoutException>(call);
        Assert.Contains("A → B → A", error.Message);

        // Both grains are free again afterwards.
        await host.WaitForQuiescenceAsync();
        Assert.Equal("a", await a.Ping().WaitAsync(TestHost.Patience));
        Assert.Equal("b", await host.GetGrain<ICycleGrain>("b").Ping().WaitAsync(TestHost.Patience));
    }

    [Fact]
    public async Task The_response_timeout_is_configurable()
    {
        await using var host = await TestHost.StartAsync(g => g.Configure<Configuration.MessagingOptions>(o =>
        {
            o.ResponseTimeout = TimeSpan.FromSeconds(5);
            o.ResponseTimeoutCheckPeriod = TimeSpan.FromSeconds(1);
        }));
        var grain = host.GetGrain<ITurnGrain>("slow");
        host.Gates().Arm("forever");

        var call = grain.Hold("forever");
        await host.Gates().WhenEntered("forever");
        host.Time.Advance(TimeSpan.FromSeconds(4));
        await host.WaitUntilSettledAsync();
        Assert.False(call.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(2));

        await TestHost.FailsWith<TimeoutException>(call);
        host.Gates().Release("forever");
    }

    [Fact]
    public async Task A_call_cycle_through_a_reentrant_grain_completes()
    {
        await using var host = await TestHost.StartAsync();

        var answer = await host.GetGrain<IReentrantCycleGrain>("a").CallThrough("b").WaitAsync(TestHost.Patience);

        Assert.Equal("b>a", answer);
    }

    [Fact]
    public async Task One_way_calls_return_before_the_grain_runs_them_and_their_errors_are_only_logged()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<ITurnGrain>("oneway");
        host.Gates().Arm("busy");
        var busy = grain.Hold("busy");
        await host.Gates().WhenEntered("busy");

        // The grain is busy, yet the one-way calls complete at once.
        await grain.Fire("f1").WaitAsync(TestHost.Patience);
        await grain.FireAndFail().WaitAsync(TestHost.Patience);
        Assert.Equal(0, host.Events().Count("fired:f1"));

        host.Gates().Release("busy");
        await busy;
        await host.WaitForQuiescenceAsync();
        Assert.Equal(1, host.Events().Count("fired:f1"));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("One-way call", StringComparison.Ordinal) && e.Exception?.Message == "one-way failure");
    }
}

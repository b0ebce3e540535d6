using HikiConsult.Actors.Storage;
using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class PersistenceTests
{
    [Fact]
    public async Task Writes_reach_storage_and_survive_reactivation()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("c");

        await counter.Increment();
        await counter.Increment();
        await host.DeactivateAsync(counter);

        Assert.Equal(2, host.GetState<CounterState>(counter, "counter")!.Value);
        Assert.Equal(2, host.Storage.WritesOf(counter));
        Assert.Equal(2, await counter.ValueAtActivation());
        Assert.Equal(2, host.Storage.ReadsOf(counter));
    }

    [Fact]
    public async Task An_etag_conflict_fails_the_write_and_the_next_call_sees_fresh_state()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("contested");
        Assert.Equal(1, await counter.Increment());

        // Another writer changes the record behind the activation's back.
        host.SetState(counter, "counter", new CounterState(100, "other writer"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.Increment());
        await host.WaitForQuiescenceAsync();
        Assert.Equal(1, host.Events().Count("deactivate:contested:ApplicationError"));
        Assert.Equal(100, host.GetState<CounterState>(counter, "counter")!.Value);

        Assert.Equal(100, await counter.ValueAtActivation());
        Assert.Equal(101, await counter.Increment());
        Assert.Equal(2, host.Events().Count("activate:contested"));
        Assert.Equal(new CounterState(101, "other writer"), host.GetState<CounterState>(counter, "counter"));
    }

    [Fact]
    public async Task Calls_queued_behind_a_conflicting_write_run_on_the_fresh_activation()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("queued");
        await counter.Increment();
        host.SetState(counter, "counter", new CounterState(50));
        host.Gates().Arm("write");
        host.Storage.BeforeWrite = (_, _) => host.Gates().Pass("write");

        var conflicting = counter.Increment();
        await host.Gates().WhenEntered("write");
        var next = counter.Get();
        host.Gates().Release("write");

        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        Assert.Equal(50, await next.WaitAsync(TestHost.Patience));
    }

    [Fact]
    public async Task ClearState_removes_the_record_and_resets_the_state()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("cleared");
        await counter.Increment();
        Assert.True(host.Storage.HasState(counter.GetGrainId(), "counter"));

        await counter.Clear();

        Assert.False(host.Storage.HasState(counter.GetGrainId(), "counter"));
        Assert.Equal(0, await counter.Get());
        Assert.Equal(1, await counter.Increment());
        Assert.Equal(1, host.Storage.ClearsOf(counter));
    }

    [Fact]
    public async Task A_failed_write_fails_the_call_but_keeps_the_activation()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("io");
        await counter.Increment();
        host.Storage.BeforeWrite = (_, _) => Task.FromException(new IOException("disk full"));

        await Assert.ThrowsAsync<IOException>(() => counter.Increment());

        host.Storage.BeforeWrite = null;
        Assert.True(host.IsActive(counter));
        Assert.Equal(1, host.Events().Count("activate:io"));
        Assert.Equal(1, host.GetState<CounterState>(counter, "counter")!.Value);
    }
}

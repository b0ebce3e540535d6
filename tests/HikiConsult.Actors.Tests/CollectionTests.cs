using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Configuration;
using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class CollectionTests
{
    [Fact]
    public async Task An_idle_activation_is_collected_after_the_collection_age_and_OnDeactivateAsync_runs()
    {
        await using var host = await TestHost.StartAsync(g => g.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(10)));
        var grain = host.GetGrain<IIdleGrain>("idle");
        await grain.Touch();

        await host.AdvanceAsync(TimeSpan.FromMinutes(9));
        Assert.True(host.IsActive(grain));

        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.False(host.IsActive(grain));
        Assert.Equal(["activate:idle", "deactivate:idle:ActivationIdle"], host.Events().All);
    }

    [Fact]
    public async Task Activity_restarts_the_idle_clock()
    {
        await using var host = await TestHost.StartAsync(g => g.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(10)));
        var grain = host.GetGrain<IIdleGrain>("busy");
        await grain.Touch();

        for (var i = 0; i < 5; i++)
        {
            await host.AdvanceAsync(TimeSpan.FromMinutes(6));
            await grain.Touch();
        }

        Assert.True(host.IsActive(grain));
        Assert.Equal(1, host.Events().Count("activate:busy"));
        await host.AdvanceAsync(TimeSpan.FromMinutes(12));
        Assert.False(host.IsActive(grain));
    }

    [Fact]
    public async Task The_default_collection_age_is_fifteen_minutes()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<IIdleGrain>("default");
        await grain.Touch();

        await host.AdvanceAsync(TimeSpan.FromMinutes(14));
        Assert.True(host.IsActive(grain));
        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.False(host.IsActive(grain));
    }

    [Fact]
    public async Task CollectionAgeLimit_overrides_the_collection_age_per_class()
    {
        await using var host = await TestHost.StartAsync();
        var shortLived = host.GetGrain<IShortLivedGrain>("s");
        var eternal = host.GetGrain<IEternalGrain>("e");
        var ordinary = host.GetGrain<IIdleGrain>("o");
        await shortLived.Touch();
        await eternal.Touch();
        await ordinary.Touch();

        await host.AdvanceAsync(TimeSpan.FromMinutes(3));
        Assert.False(host.IsActive(shortLived));
        Assert.True(host.IsActive(ordinary));

        await host.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.False(host.IsActive(ordinary));
        Assert.True(host.IsActive(eternal));
    }

    [Fact]
    public async Task ClassSpecificCollectionAge_overrides_the_collection_age_by_grain_type()
    {
        await using var host = await TestHost.StartAsync(g => g.Configure<GrainCollectionOptions>(o => o.ClassSpecificCollectionAge["idle"] = TimeSpan.FromMinutes(3)));
        var grain = host.GetGrain<IIdleGrain>("configured");
        await grain.Touch();

        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.True(host.IsActive(grain));
        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.False(host.IsActive(grain));
    }

    [Fact]
    public async Task DelayDeactivation_keeps_an_idle_activation_for_the_given_time()
    {
        await using var host = await TestHost.StartAsync(g => g.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(10)));
        var grain = host.GetGrain<IIdleGrain>("kept");
        await grain.KeepAliveFor(TimeSpan.FromHours(1));

        await host.AdvanceAsync(TimeSpan.FromMinutes(55));
        Assert.True(host.IsActive(grain));

        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.False(host.IsActive(grain));
    }

    [Fact]
    public async Task DelayDeactivation_with_a_huge_span_does_not_overflow()
    {
        await using var host = await TestHost.StartAsync(g => g.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(10)));
        var grain = host.GetGrain<IIdleGrain>("forever");
        await grain.KeepAliveFor(TimeSpan.MaxValue);

        await host.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.True(host.IsActive(grain));
    }

    [Fact]
    public async Task DeactivateOnIdle_deactivates_after_the_turn_and_the_next_call_activates_again()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.GetGrain<IIdleGrain>("bye");

        await grain.DeactivateSoon();
        await host.WaitForQuiescenceAsync();
        Assert.False(host.IsActive(grain));
        Assert.Equal(1, host.Events().Count("deactivate:bye:ApplicationRequested"));

        await grain.Touch();
        Assert.Equal(2, host.Events().Count("activate:bye"));
    }

    [Fact]
    public async Task Messages_that_arrive_during_deactivation_go_to_the_next_activation()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("moving");
        Assert.Equal(1, await counter.Increment());
        host.Gates().Arm("deactivate:moving");

        await counter.Deactivate();
        await host.Gates().WhenEntered("deactivate:moving");
        var calls = Enumerable.Range(0, 100).Select(_ => counter.Increment()).ToArray();
        await host.WaitUntilSettledAsync();
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        host.Gates().Release("deactivate:moving");
        var results = await Task.WhenAll(calls).WaitAsync(TestHost.Patience);

        Assert.Equal(Enumerable.Range(2, 100), results.Order());
        Assert.Equal(2, host.Events().Count("activate:moving"));
        Assert.Equal(101, host.GetState<CounterState>(counter, "counter")!.Value);
    }
}

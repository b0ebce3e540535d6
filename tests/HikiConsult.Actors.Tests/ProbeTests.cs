using System.Collections.Concurrent;
using HikiConsult.Actors.TestKit;
using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class ProbeTests
{
    private sealed class FakeInventory(bool inStock) : IInventoryGrain
    {
        public ConcurrentQueue<string> Reserved { get; } = new();

        public Task<bool> Reserve(string item)
        {
            Reserved.Enqueue(item);
            return Task.FromResult(inStock);
        }
    }

    private sealed class FakeNotifier(ConcurrencyProbe probe) : INotifierGrain
    {
        public ConcurrentQueue<string> Notified { get; } = new();

        public async Task Notify(string orderId, string item)
        {
            using (probe.Enter())
            {
                await Task.Yield();
                Notified.Enqueue($"{orderId}:{item}");
            }
        }
    }

    [Fact]
    public async Task Probes_stand_in_for_a_grains_collaborators()
    {
        await using var host = await TestHost.StartAsync();
        var inventory = new FakeInventory(inStock: true);
        var notifier = new FakeNotifier(new ConcurrencyProbe());
        host.AddProbe<IInventoryGrain>("main", inventory);
        host.AddProbe<INotifierGrain>("ops", notifier);

        Assert.True(await host.GetGrain<IOrderGrain>("o-1").Place("book"));

        Assert.Equal(["book"], inventory.Reserved);
        Assert.Equal(["o-1:book"], notifier.Notified);
    }

    [Fact]
    public async Task Without_a_probe_the_real_grain_answers_and_a_class_less_interface_fails_clearly()
    {
        await using var host = await TestHost.StartAsync();

        Assert.False(await host.GetGrain<IOrderGrain>("o-1").Place("book"));
        await host.DeactivateAsync(host.GetGrain<IInventoryGrain>("main"));

        host.AddProbe<IInventoryGrain>("main", new FakeInventory(inStock: true));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => host.GetGrain<IOrderGrain>("o-2").Place("book"));
        Assert.Contains("No grain class implements INotifierGrain", unknown.Message);

        host.AddProbe<INotifierGrain>("elsewhere", new FakeNotifier(new ConcurrencyProbe()));
        var unserved = await Assert.ThrowsAsync<InvalidOperationException>(() => host.GetGrain<IOrderGrain>("o-3").Place("book"));
        Assert.Contains("no probe serves probe.notifier/ops", unserved.Message);
        Assert.False(host.IsActive(host.GrainFactory.GetGrain<INotifierGrain>("ops")));
    }

    [Fact]
    public async Task A_probe_receives_calls_one_at_a_time_through_its_mailbox()
    {
        await using var host = await TestHost.StartAsync();
        var probe = new ConcurrencyProbe();
        var notifier = new FakeNotifier(probe);
        host.AddProbe<IInventoryGrain>("main", new FakeInventory(inStock: true));
        host.AddProbe<INotifierGrain>("ops", notifier);

        var orders = Enumerable.Range(0, 100).Select(i => host.GetGrain<IOrderGrain>("o-" + i).Place("item")).ToArray();
        await Task.WhenAll(orders).WaitAsync(TestHost.Patience);

        Assert.Equal(100, notifier.Notified.Count);
        Assert.Equal(1, probe.MaxConcurrency);
    }

    [Fact]
    public async Task A_probe_cannot_replace_an_active_grain()
    {
        await using var host = await TestHost.StartAsync();
        await host.GetGrain<IInventoryGrain>("main").Reserve("x");

        Assert.Throws<InvalidOperationException>(() => host.AddProbe<IInventoryGrain>("main", new FakeInventory(true)));
    }
}

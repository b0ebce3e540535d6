using System.Collections.Concurrent;
using HikiConsult.Actors.TestKit;
using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class ObserverTests
{
    private sealed class Listener(ConcurrencyProbe? probe = null, bool fail = false) : IChatObserver
    {
        public ConcurrentQueue<string> Received { get; } = new();

        public async Task Receive(string text)
        {
            using (probe?.Enter())
            {
                await Task.Yield();
                await Task.Delay(1);
                if (fail)
                {
                    throw new InvalidOperationException("connection closed");
                }

                Received.Enqueue(text);
            }
        }
    }

    [Fact]
    public async Task A_grain_calls_back_an_observer_through_its_object_reference()
    {
        await using var host = await TestHost.StartAsync();
        var room = host.GetGrain<IChatRoomGrain>("room");
        var listener = new Listener();
        var reference = host.GrainFactory.CreateObjectReference<IChatObserver>(listener);

        await room.Subscribe(reference);
        await room.Publish("hello");
        await room.Broadcast("again");
        await host.WaitForQuiescenceAsync();

        Assert.Equal(["hello", "again"], listener.Received);
        Assert.Equal(reference, host.GrainFactory.CreateObjectReference<IChatObserver>(listener));
    }

    [Fact]
    public async Task Calls_to_one_observer_run_one_at_a_time()
    {
        await using var host = await TestHost.StartAsync();
        var probe = new ConcurrencyProbe();
        var listener = new Listener(probe);
        var reference = host.GrainFactory.CreateObjectReference<IChatObserver>(listener);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => reference.Receive("m" + i)))).WaitAsync(TestHost.Patience);

        Assert.Equal(200, listener.Received.Count);
        Assert.Equal(1, probe.MaxConcurrency);
    }

    [Fact]
    public async Task A_deleted_observer_fails_its_callers_and_the_ObserverManager_drops_it()
    {
        await using var host = await TestHost.StartAsync();
        var room = host.GetGrain<IChatRoomGrain>("room");
        var gone = new Listener();
        var staying = new Listener();
        var goneReference = host.GrainFactory.CreateObjectReference<IChatObserver>(gone);
        await room.Subscribe(goneReference);
        await room.Subscribe(host.GrainFactory.CreateObjectReference<IChatObserver>(staying));

        host.GrainFactory.DeleteObjectReference<IChatObserver>(gone);

        Assert.Throws<ObserverNotAvailableException>(() => { _ = goneReference.Receive("direct"); });
        Assert.Equal(1, await room.Broadcast("after delete"));
        Assert.Equal(1, await room.SubscriberCount());
        await host.WaitForQuiescenceAsync();
        Assert.Empty(gone.Received);
        Assert.Equal(["after delete"], staying.Received);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_observer_whose_call_fails_is_removed_wherever_it_stands(int healthyBefore)
    {
        await using var host = await TestHost.StartAsync();
        var room = host.GetGrain<IChatRoomGrain>("room");
        var healthy = Enumerable.Range(0, 2).Select(_ => new Listener()).ToArray();
        var broken = new Listener(fail: true);
        var subscribers = healthy.Take(healthyBefore).Append(broken).Concat(healthy.Skip(healthyBefore));
        foreach (var listener in subscribers)
        {
            await room.Subscribe(host.GrainFactory.CreateObjectReference<IChatObserver>(listener));
        }

        // Publish waits for every call: the broken one is gone after the first.
        Assert.Equal(3, await room.SubscriberCount());
        await room.Publish("first");
        Assert.Equal(2, await room.SubscriberCount());
        Assert.Equal(2, await room.Publish("second"));

        Assert.All(healthy, h => Assert.Equal(["first", "second"], h.Received));
    }

    [Fact]
    public async Task A_lone_observer_whose_call_fails_is_removed()
    {
        await using var host = await TestHost.StartAsync();
        var room = host.GetGrain<IChatRoomGrain>("room");
        await room.Subscribe(host.GrainFactory.CreateObjectReference<IChatObserver>(new Listener(fail: true)));

        await room.Publish("lost");

        Assert.Equal(0, await room.SubscriberCount());
    }

    [Fact]
    public async Task Subscriptions_expire_unless_renewed()
    {
        await using var host = await TestHost.StartAsync();
        var room = host.GetGrain<IChatRoomGrain>("room");
        var renewing = new Listener();
        var lapsing = new Listener();
        var renewingReference = host.GrainFactory.CreateObjectReference<IChatObserver>(renewing);
        await room.Subscribe(renewingReference);
        await room.Subscribe(host.GrainFactory.CreateObjectReference<IChatObserver>(lapsing));

        host.Time.Advance(ChatRoomGrain.Expiry - TimeSpan.FromMinutes(1));
        await room.Subscribe(renewingReference);
        Assert.Equal(2, await room.Publish("before expiry"));
        host.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, await room.Publish("after expiry"));
        Assert.Equal(["before expiry", "after expiry"], renewing.Received);
        Assert.Equal(["before expiry"], lapsing.Received);
    }

    [Fact]
    public async Task An_observer_that_never_answers_times_out_like_a_grain()
    {
        await using var host = await TestHost.StartAsync();
        var stuck = new StuckObserver();
        var reference = host.GrainFactory.CreateObjectReference<IChatObserver>(stuck);

        var call = reference.Receive("anyone?");
        host.Time.Advance(TimeSpan.FromSeconds(31));

        await TestHost.FailsWith<TimeoutException>(call);
        stuck.Release.TrySetResult();
    }

    [Fact]
    public async Task Deleting_an_observer_fails_the_calls_queued_for_it_and_lets_the_running_one_finish()
    {
        await using var host = await TestHost.StartAsync();
        var stuck = new StuckObserver();
        var reference = host.GrainFactory.CreateObjectReference<IChatObserver>(stuck);
        var running = reference.Receive("first");
        var queued = new[] { reference.Receive("second"), reference.Receive("third") };

        host.GrainFactory.DeleteObjectReference<IChatObserver>(stuck);

        foreach (var call in queued)
        {
            var error = await TestHost.FailsWith<ObserverNotAvailableException>(call);
            Assert.Equal(reference.GetGrainId(), error.ObserverId);
        }

        Assert.False(running.IsCompleted);
        stuck.Release.TrySetResult();
        await running.WaitAsync(TestHost.Patience);
        Assert.Equal(1, stuck.Calls);
    }

    private sealed class StuckObserver : IChatObserver
    {
        private int _calls;

        public TaskCompletionSource Release { get; } = new();

        public int Calls => Volatile.Read(ref _calls);

        public Task Receive(string text)
        {
            Interlocked.Increment(ref _calls);
            return Release.Task;
        }
    }
}

using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task One_thousand_concurrent_first_calls_make_exactly_one_activation()
    {
        await using var host = await TestHost.StartAsync();

        // Several rounds, each on a fresh grain: every round is a new race for the first activation.
        for (var round = 0; round < 10; round++)
        {
            var key = "shared-" + round;
            var results = await Task.WhenAll(CallAtOnce(1000, () => host.GetGrain<ICounterGrain>(key).Increment())).WaitAsync(TestHost.Patience);

            var grain = host.GetGrain<ICounterGrain>(key);
            Assert.Equal(1, host.Events().Count("construct:" + key));
            Assert.Equal(1, host.Events().Count("activate:" + key));
            Assert.Equal(1, host.Storage.ReadsOf(grain));
            Assert.Equal(Enumerable.Range(1, 1000), results.Order());
            Assert.Equal(1000, host.GetState<CounterState>(grain, "counter")!.Value);
        }

        Assert.Equal(10, host.ActivationCount);
    }

    /// <summary>
    /// Makes <paramref name="count"/> calls from dedicated threads released together (each with its own reference),
    /// so that first calls race for the activation for real.
    /// </summary>
    private static Task<T>[] CallAtOnce<T>(int count, Func<Task<T>> call)
    {
        const int Threads = 4;
        var calls = new Task<T>[count];
        var go = 0;
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            while (Volatile.Read(ref go) == 0)
            {
                Thread.SpinWait(1);
            }

            for (var i = t; i < count; i += Threads)
            {
                calls[i] = call();
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        Volatile.Write(ref go, 1);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        return calls;
    }

    [Fact]
    public async Task State_is_read_before_OnActivateAsync()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("preset");
        host.SetState(counter, "counter", new CounterState(41));

        Assert.Equal(41, await counter.ValueAtActivation());
        Assert.Equal(42, await counter.Increment());
    }

    [Fact]
    public async Task A_failed_state_read_fails_the_call_with_the_storage_error_and_the_next_call_retries()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("flaky");
        host.SetState(counter, "counter", new CounterState(7));
        var failures = 1;
        host.Storage.BeforeRead = (_, _) => Interlocked.Decrement(ref failures) >= 0
            ? Task.FromException(new IOException("disk unavailable"))
            : Task.CompletedTask;

        var error = await Assert.ThrowsAsync<IOException>(() => counter.Get());

        Assert.Equal("disk unavailable", error.Message);
        Assert.False(host.IsActive(counter));
        Assert.Equal(0, host.ActivationCount);
        Assert.Equal(1, host.Events().Count("construct:flaky"));
        Assert.Equal(0, host.Events().Count("activate:flaky"));

        Assert.Equal(7, await counter.Get());
        Assert.Equal(2, host.Storage.ReadsOf(counter));
        Assert.Equal(1, host.Events().Count("activate:flaky"));
    }

    [Fact]
    public async Task Calls_queued_behind_a_failed_activation_all_fail_and_nothing_stays_active()
    {
        await using var host = await TestHost.StartAsync();
        var counter = host.GetGrain<ICounterGrain>("held-read");
        host.Gates().Arm("read");
        host.Storage.BeforeRead = async (_, _) =>
        {
            await host.Gates().Pass("read");
            throw new IOException("read failed");
        };

        var first = counter.Get();
        await host.Gates().WhenEntered("read");
        var second = counter.Increment();
        host.Gates().Release("read");

        await Assert.ThrowsAsync<IOException>(() => first);
        await Assert.ThrowsAsync<IOException>(() => second);
        Assert.Equal(0, host.ActivationCount);
        Assert.Equal(0, host.Storage.WritesOf(counter));
    }

    [Fact]
    public async Task A_failing_OnActivateAsync_fails_the_call_and_leaves_no_activation()
    {
        await using var host = await TestHost.StartAsync();
        var bad = host.GetGrain<IFailingActivationGrain>("bad-1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad.Hello());

        Assert.Equal("activation refused", error.Message);
        Assert.False(host.IsActive(bad));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad.Hello());
        Assert.Equal(2, host.Events().Count("activate:bad-1"));
        Assert.Equal("hello", await host.GetGrain<IFailingActivationGrain>("good").Hello());
    }

    [Fact]
    public async Task References_are_equal_by_grain_id_and_expose_their_keys()
    {
        await using var host = await TestHost.StartAsync();
        var guid = Guid.NewGuid();

        Assert.Equal(host.GetGrain<ICounterGrain>("a"), host.GetGrain<ICounterGrain>("a"));
        Assert.Equal(host.GetGrain<ICounterGrain>("a").GetHashCode(), host.GetGrain<ICounterGrain>("a").GetHashCode());
        Assert.NotEqual(host.GetGrain<ICounterGrain>("a"), host.GetGrain<ICounterGrain>("b"));
        Assert.Equal("a", host.GetGrain<ICounterGrain>("a").GetPrimaryKeyString());
        Assert.Equal(guid, host.GetGrain<IGuidKeyedGrain>(guid).GetPrimaryKey());
        Assert.Equal(guid, await host.GetGrain<IGuidKeyedGrain>(guid).Key());
        Assert.Equal(42L, await host.GetGrain<IIntegerKeyedGrain>(42).Key());
        Assert.Equal(0, host.Storage.Reads);
    }

    [Fact]
    public async Task An_interface_shared_by_two_grain_classes_cannot_address_a_grain()
    {
        await using var host = await TestHost.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => host.GrainFactory.GetGrain<ITurnOperations>("x"));

        Assert.Contains("implemented by both", error.Message);
    }
}

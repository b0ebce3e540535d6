using Orleans;

namespace HikiConsult.Orleans.Benchmarks;

[Alias("bench.ICounterGrain")]
public interface ICounterGrain : IGrainWithIntegerKey
{
    Task<int> Work(int value);
}

/// <summary>Non-reentrant, one int field, completes synchronously: the cost measured is the runtime's, not the grain's.</summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _total;

    public Task<int> Work(int value) => Task.FromResult(_total += value);
}

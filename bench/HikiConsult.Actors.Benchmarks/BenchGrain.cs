namespace HikiConsult.Actors.Benchmarks;

public interface IBenchGrain : IGrainWithIntegerKey
{
    Task<int> Work(int value);
}

/// <summary>The measured grain: non-reentrant, one field, completes synchronously.</summary>
public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _calls;

    public Task<int> Work(int value)
    {
        _calls++;
        return Task.FromResult(value + _calls);
    }
}

/// <summary>The same work without the grain host (the direct-call baseline).</summary>
public sealed class DirectTarget : IBenchGrain
{
    private int _calls;

    public Task<int> Work(int value)
    {
        _calls++;
        return Task.FromResult(value + _calls);
    }
}

/// <summary>An object with the grain's own fields (object header, the base class's one reference, one int).</summary>
public sealed class GrainShape
{
#pragma warning disable CS0169, CS0649 // Only the layout matters.
    private object? _activation;
    private int _calls;
#pragma warning restore CS0169, CS0649
}

namespace HikiConsult.Actors.Tests.Grains;

/// <summary>Where a turn ran, seen from inside it.</summary>
public sealed record TurnSite(int Level, bool OnCallersThreadDuringCall, bool HasActivationContext, string? CallersAsyncLocal);

/// <summary>
/// The test's side of an inline-turn check: which thread is inside a grain call right now, and an async local the
/// caller set. Grains read it synchronously at the start of their turn.
/// </summary>
public sealed class CallerProbe
{
    private volatile int _threadInsideCall = -1;

    public static readonly AsyncLocal<string?> CallerValue = new();

    public TurnSite Observe(int level) => new(
        level,
        _threadInsideCall == Environment.CurrentManagedThreadId,
        SynchronizationContext.Current is not null,
        CallerValue.Value);

    /// <summary>Makes one call from this thread, marking the thread as inside it until the proxy returns.</summary>
    public Task<T> Call<T>(Func<Task<T>> call)
    {
        _threadInsideCall = Environment.CurrentManagedThreadId;
        try
        {
            return call();
        }
        finally
        {
            _threadInsideCall = -1;
        }
    }
}

public interface IInlineChainGrain : IGrainWithStringKey
{
    /// <summary>Records where this turn runs, then calls the next grain of the chain until <paramref name="remaining"/> is 0.</summary>
    Task<IReadOnlyList<TurnSite>> Descend(int level, int remaining);

    Task<int> FailAtOnce();
}

public sealed class InlineChainGrain(CallerProbe probe) : Grain, IInlineChainGrain
{
    public async Task<IReadOnlyList<TurnSite>> Descend(int level, int remaining)
    {
        var here = probe.Observe(level);
        if (remaining == 0)
        {
            return [here];
        }

        var below = await GrainFactory.GetGrain<IInlineChainGrain>($"{this.GetPrimaryKeyString()}/{level + 1}").Descend(level + 1, remaining - 1);
        return [here, .. below];
    }

    public Task<int> FailAtOnce() => throw new InvalidOperationException("failed before any await");
}

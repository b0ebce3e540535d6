using HikiConsult.Actors.Concurrency;
using HikiConsult.Actors.TestKit;

namespace HikiConsult.Actors.Tests.Grains;

/// <summary>Operations for interleaving tests; implemented by a non-reentrant and a reentrant grain class.</summary>
public interface ITurnOperations : IGrainWithStringKey
{
    /// <summary>Enters the overlap probe and stays inside across several kinds of await.</summary>
    Task Work();

    /// <summary>Waits at a gate (an ordinary, non-read-only request).</summary>
    Task Hold(string gate);

    /// <summary>Waits at a gate as a read-only request.</summary>
    [ReadOnly]
    Task ReadHold(string gate);

    /// <summary>Opens a gate; may interleave with anything.</summary>
    [AlwaysInterleave]
    Task Release(string gate);

    /// <summary>Opens a gate as an ordinary request.</summary>
    Task ReleaseNormally(string gate);

    /// <summary>Returns at once; the grain records the call and waits at the gate afterwards.</summary>
    [OneWay]
    Task Fire(string gate);

    [OneWay]
    Task FireAndFail();
}

public interface ITurnGrain : ITurnOperations;

public interface IReentrantTurnGrain : ITurnOperations;

public abstract class TurnGrainBase(GrainEvents events, TestGates gates, ConcurrencyProbe probe) : Grain, ITurnOperations
{
    public async Task Work()
    {
        using (probe.Enter())
        {
            await Task.Yield();
            await Task.Run(() => Thread.SpinWait(200));
            await Task.Delay(1);
            await Task.Yield();
        }
    }

    public async Task Hold(string gate)
    {
        events.Record("start:" + gate);
        await gates.Pass(gate);
        events.Record("end:" + gate);
    }

    public Task ReadHold(string gate) => Hold(gate);

    public Task Release(string gate)
    {
        events.Record("release:" + gate);
        gates.Release(gate);
        return Task.CompletedTask;
    }

    public Task ReleaseNormally(string gate) => Release(gate);

    public async Task Fire(string gate)
    {
        events.Record("fired:" + gate);
        await gates.Pass(gate);
    }

    public Task FireAndFail() => throw new InvalidOperationException("one-way failure");
}

public sealed class TurnGrain(GrainEvents events, TestGates gates, ConcurrencyProbe probe) : TurnGrainBase(events, gates, probe), ITurnGrain;

[Reentrant]
public sealed class ReentrantTurnGrain(GrainEvents events, TestGates gates, ConcurrencyProbe probe) : TurnGrainBase(events, gates, probe), IReentrantTurnGrain;

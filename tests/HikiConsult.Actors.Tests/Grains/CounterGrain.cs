using HikiConsult.Actors.Runtime;
using HikiConsult.Actors.TestKit;

namespace HikiConsult.Actors.Tests.Grains;

public sealed record CounterState(int Value = 0, string? Note = null);

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one, writes the state and returns the new value.</summary>
    Task<int> Increment();

    Task<int> Get();

    /// <summary>The value that was read from storage when this activation started.</summary>
    Task<int> ValueAtActivation();

    Task Clear();

    /// <summary>Deactivates after this call (DeactivateOnIdle).</summary>
    Task Deactivate();
}

/// <summary>A persistent counter that records its lifecycle; its deactivation can be held at gate "deactivate:{key}".</summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    private readonly IPersistentState<CounterState> _state;
    private readonly GrainEvents _events;
    private readonly TestGates _gates;
    private int _valueAtActivation = -1;

    public CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state, GrainEvents events, TestGates gates)
    {
        _state = state;
        _events = events;
        _gates = gates;
        _events.Record("construct:" + this.GetPrimaryKeyString());
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _valueAtActivation = _state.State.Value;
        _events.Record("activate:" + this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _events.Record($"deactivate:{this.GetPrimaryKeyString()}:{reason.ReasonCode}");
        await _gates.Pass("deactivate:" + this.GetPrimaryKeyString());
    }

    public async Task<int> Increment()
    {
        _state.State = _state.State with { Value = _state.State.Value + 1 };
        await _state.WriteStateAsync();
        return _state.State.Value;
    }

    public Task<int> Get() => Task.FromResult(_state.State.Value);

    public Task<int> ValueAtActivation() => Task.FromResult(_valueAtActivation);

    public Task Clear() => _state.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

using HikiConsult.Actors.Runtime;

namespace HikiConsult.Actors.Tests.Grains;

public sealed record JournalState(int Entries = 0, string? ClosedBecause = null);

public interface IJournalGrain : IGrainWithStringKey
{
    /// <summary>Counts an entry in memory only; the state is written when the activation ends.</summary>
    Task Note();

    /// <summary>Counts an entry and writes at once.</summary>
    Task NoteAndSave();
}

/// <summary>Writes its state in OnDeactivateAsync, as grains that batch writes do.</summary>
public sealed class JournalGrain([PersistentState("journal")] IPersistentState<JournalState> state) : Grain, IJournalGrain
{
    public Task Note()
    {
        state.State = state.State with { Entries = state.State.Entries + 1 };
        return Task.CompletedTask;
    }

    public Task NoteAndSave()
    {
        state.State = state.State with { Entries = state.State.Entries + 1 };
        return state.WriteStateAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        state.State = state.State with { ClosedBecause = reason.ReasonCode.ToString() };
        return state.WriteStateAsync();
    }
}

using HikiConsult.Actors.Concurrency;
using HikiConsult.Actors.Runtime;

namespace HikiConsult.Actors.Tests.Grains;

// The how-to example of docs/actors.md, compiled and tested so the documentation stays true.
public interface IRoomGrain : IGrainWithStringKey
{
    Task<int> Join(string member);

    [ReadOnly]
    Task<IReadOnlyList<string>> Members();
}

public sealed record RoomState(IReadOnlyList<string> Members)
{
    public RoomState()
        : this([])
    {
    }
}

public sealed class RoomGrain([PersistentState("room")] IPersistentState<RoomState> state) : Grain, IRoomGrain
{
    public async Task<int> Join(string member)
    {
        state.State = state.State with { Members = [.. state.State.Members, member] };
        await state.WriteStateAsync();
        return state.State.Members.Count;
    }

    public Task<IReadOnlyList<string>> Members() => Task.FromResult(state.State.Members);
}

using Orleans;
using Orleans.Runtime;

namespace HikiConsult.Grains.Counselors;

[GrainType("counselor")]
public sealed class CounselorGrain(
    [PersistentState("counselor", "Default")] IPersistentState<CounselorState> state) : Grain, ICounselorGrain
{
    private readonly HashSet<string> _connections = new(StringComparer.Ordinal);

    public async Task AddToCaseload(string clientId)
    {
        if (state.State.Caseload.Contains(clientId))
        {
            return;
        }

        state.State = state.State with { Caseload = [.. state.State.Caseload, clientId] };
        await state.WriteStateAsync();
    }

    public async Task RemoveFromCaseload(string clientId)
    {
        if (state.State.Caseload.Contains(clientId))
        {
            state.State = state.State with { Caseload = [.. state.State.Caseload.Where(id => id != clientId)] };
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> GetCaseload() => Task.FromResult(state.State.Caseload);

    public Task<CounselorSummary> GetSummary() =>
        Task.FromResult(new CounselorSummary(this.GetPrimaryKeyString(), state.State.Caseload, _connections.Count > 0, state.State.OpenSessionIds));

    public Task Connected(string connectionId)
    {
        _connections.Add(connectionId);
        return Task.CompletedTask;
    }

    public Task Disconnected(string connectionId)
    {
        _connections.Remove(connectionId);
        return Task.CompletedTask;
    }

    public async Task SessionJoined(string sessionId)
    {
        if (state.State.OpenSessionIds.Contains(sessionId))
        {
            return;
        }

        state.State = state.State with { OpenSessionIds = [.. state.State.OpenSessionIds, sessionId] };
        await state.WriteStateAsync();
    }

    public async Task SessionClosed(string sessionId)
    {
        if (!state.State.OpenSessionIds.Contains(sessionId))
        {
            return;
        }

        state.State = state.State with { OpenSessionIds = [.. state.State.OpenSessionIds.Where(id => id != sessionId)] };
        await state.WriteStateAsync();
    }
}

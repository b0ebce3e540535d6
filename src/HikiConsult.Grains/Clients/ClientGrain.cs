using Orleans;
using Orleans.Runtime;
using HikiConsult.Contracts;
using HikiConsult.Grains.Counselors;

namespace HikiConsult.Grains.Clients;

[GrainType("client")]
public sealed class ClientGrain(
    [PersistentState("client", "Default")] IPersistentState<ClientState> state,
    IClientDirectory directory,
    TimeProvider time) : Grain, IClientGrain
{
    public async Task<ClientDto> Create(NewClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (state.State.Created)
        {
            throw ConsultationRuleException.Conflict("The client exists already.");
        }

        var now = time.GetUtcNow();
        var clientId = this.GetPrimaryKeyString();

        // Directory first: a crash between the two leaves an id that lists as nothing, never a hidden record.
        await directory.AddAsync(clientId, now);

        state.State = new ClientState
        {
            Created = true,
            Alias = client.Alias,
            Language = client.Language,
            TimeZone = client.TimeZone,
            CreatedAt = now,
            CreatedBy = client.CreatedBy,
            AssignedCounselorIds = client.AssignCounselorId is null ? [] : [client.AssignCounselorId],
        };
        await state.WriteStateAsync();

        if (client.AssignCounselorId is not null)
        {
            await GrainFactory.GetGrain<ICounselorGrain>(client.AssignCounselorId).AddToCaseload(clientId);
        }

        return ToDto();
    }

    public Task<ClientDto?> Get()
    {
        if (!state.State.Created)
        {
            // Probing unknown ids must not keep activations around.
            DeactivateOnIdle();
            return Task.FromResult<ClientDto?>(null);
        }

        return Task.FromResult<ClientDto?>(ToDto());
    }

    public async Task<ClientDto> AssignCounselor(string counselorId)
    {
        EnsureCreated();
        if (!state.State.AssignedCounselorIds.Contains(counselorId))
        {
            state.State = state.State with { AssignedCounselorIds = [.. state.State.AssignedCounselorIds, counselorId] };
            await state.WriteStateAsync();
        }

        await GrainFactory.GetGrain<ICounselorGrain>(counselorId).AddToCaseload(this.GetPrimaryKeyString());
        return ToDto();
    }

    public async Task<ClientDto> RecordConsent(ConsentRecord consent)
    {
        EnsureCreated();
        state.State = state.State with { Consents = [.. state.State.Consents, consent] };
        await state.WriteStateAsync();
        return ToDto();
    }

    public async Task AddDevice(DeviceInfo device)
    {
        EnsureCreated();
        if (state.State.Devices.Any(d => d.DeviceId == device.DeviceId))
        {
            return;
        }

        state.State = state.State with { Devices = [.. state.State.Devices, device] };
        await state.WriteStateAsync();
    }

    public async Task RevokeDevice(string deviceId)
    {
        EnsureCreated();
        if (!state.State.Devices.Any(d => d.DeviceId == deviceId && !d.Revoked))
        {
            return;
        }

        state.State = state.State with
        {
            Devices = [.. state.State.Devices.Select(d => d.DeviceId == deviceId ? d with { Revoked = true } : d)],
        };
        await state.WriteStateAsync();
    }

    public async Task SessionChanged(ClientSessionSummary summary)
    {
        EnsureCreated();
        var sessions = state.State.Sessions;
        var index = -1;
        for (var i = 0; i < sessions.Count; i++)
        {
            if (sessions[i].SessionId == summary.SessionId)
            {
                index = i;
                break;
            }
        }

        if (index >= 0 && sessions[index] == summary)
        {
            return;
        }

        var updated = sessions.ToList();
        if (index >= 0)
        {
            updated[index] = summary;
        }
        else
        {
            updated.Add(summary);
        }

        state.State = state.State with { Sessions = updated };
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ClientSessionSummary>> GetSessions() => Task.FromResult(state.State.Sessions);

    public async Task Erase()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }

    private void EnsureCreated()
    {
        if (!state.State.Created)
        {
            throw ConsultationRuleException.NotFound("The client");
        }
    }

    private ClientDto ToDto()
    {
        var s = state.State;
        return new ClientDto(this.GetPrimaryKeyString(), s.Alias, s.Language, s.TimeZone, s.Status, s.AssignedCounselorIds, s.Consents, s.Devices, s.CreatedAt);
    }
}

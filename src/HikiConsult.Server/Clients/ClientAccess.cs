using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Auth;

namespace HikiConsult.Server.Clients;

/// <summary>
/// The one place that decides who sees what. Supervisors see every client of the clinic, counselors the
/// clients assigned to them, admins no client or session at all, a device only its own client's sessions
/// (a family device only family sessions, an avatar or robot only the others). Null means "not found" to the
/// caller, whether the thing is missing or hidden.
/// </summary>
public sealed class ClientAccess(IGrainFactory grains)
{
    public async Task<ClientDto?> FindVisibleClientAsync(Caller caller, string clientId)
    {
        if (!caller.IsClinician || !EntityIds.IsClientId(clientId))
        {
            return null;
        }

        var client = await grains.GetGrain<IClientGrain>(clientId).Get();
        return client is not null && MaySee(caller, client) ? client : null;
    }

    public async Task<SessionDto?> FindVisibleSessionAsync(Caller caller, string sessionId)
    {
        if (caller.IsAdmin || !EntityIds.IsSessionId(sessionId))
        {
            return null;
        }

        var session = await grains.GetGrain<IConsultationSessionGrain>(sessionId).Get();
        if (session is null)
        {
            return null;
        }

        if (caller.IsDevice)
        {
            return DeviceMaySee(caller, session.ClientId, session.FamilyOnly) ? session : null;
        }

        return await FindVisibleClientAsync(caller, session.ClientId) is null ? null : session;
    }

    public static bool MaySee(Caller caller, ClientDto client) =>
        caller.Role == Roles.Supervisor || (caller.Role == Roles.Counselor && client.AssignedCounselorIds.Contains(caller.Id));

    public static bool DeviceMaySee(Caller caller, string clientId, bool familyOnly) =>
        caller.IsDevice && caller.ClientId == clientId && familyOnly == (caller.Role == Roles.Family);
}

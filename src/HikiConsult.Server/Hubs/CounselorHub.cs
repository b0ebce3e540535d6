using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains.Counselors;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// <c>/hubs/counselor</c>: counselors, supervisors and admins (admins can connect but see no session). Partial so
/// that features such as the early consultation system add their methods in their own files.
/// </summary>
[Authorize(Policy = AuthPolicies.Staff)]
public sealed partial class CounselorHub(
    IGrainFactory grains,
    ClientAccess access,
    SessionSubscriptions subscriptions,
    ConnectionRegistry connections,
    AuditLog audit) : SessionHub(grains, access, subscriptions, connections, audit)
{
    /// <summary>Ends a session (counselors and supervisors): <c>ended</c>, or <c>noShow</c> when the client never joined.</summary>
    public async Task<SessionStateDto> EndSession(string sessionId, string? note)
    {
        var caller = CurrentCaller;
        var session = await FindSessionAsync(caller, sessionId);
        if (!caller.IsClinician)
        {
            throw new HubException(SessionNotFound);
        }

        return await GrainFactory.GetGrain<IConsultationSessionGrain>(session.Id).End(caller.ToSender(), note);
    }

    public override async Task OnConnectedAsync()
    {
        await base.OnConnectedAsync();
        var caller = CurrentCaller;
        if (caller.IsClinician)
        {
            await GrainFactory.GetGrain<ICounselorGrain>(caller.Id).Connected(Context.ConnectionId);
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var caller = CurrentCaller;
        if (caller.IsClinician)
        {
            await GrainFactory.GetGrain<ICounselorGrain>(caller.Id).Disconnected(Context.ConnectionId);
        }

        await base.OnDisconnectedAsync(exception);
    }
}

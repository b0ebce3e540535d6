using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// This node's subscriber to one session: forwards the session's pushes to the SignalR group of that session on
/// both hubs. Its calls arrive one at a time in the order the grain made them, so every connection sees seq order.
/// </summary>
internal sealed class SessionObserver(IHubContext<CounselorHub> counselors, IHubContext<AvatarHub> devices) : ISessionObserver
{
    public Task OnSessionEvent(SessionEventDto sessionEvent)
    {
        var group = SessionHub.GroupName(sessionEvent.SessionId);
        return Task.WhenAll(
            counselors.Clients.Group(group).SendAsync(HubMethods.SessionEvent, sessionEvent),
            devices.Clients.Group(group).SendAsync(HubMethods.SessionEvent, sessionEvent));
    }

    public Task OnSessionState(SessionStateDto state)
    {
        var group = SessionHub.GroupName(state.SessionId);
        return Task.WhenAll(
            counselors.Clients.Group(group).SendAsync(HubMethods.SessionState, state),
            devices.Clients.Group(group).SendAsync(HubMethods.SessionState, state));
    }
}

using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Domain.Engagement;
using HikiConsult.Grains.Sessions;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// Which events of a client's own session log the analytics take, and as what: client texts, counselor texts and
/// speech, and every change of the session's state (the first makes the session known; attended, cancelled and
/// no-show count; ended, cancelled and no-show close it). One rule for the live path
/// (<see cref="EarlyConsultationSessionSink"/>) and for the replay of a log's tail after a restart
/// (<see cref="ClientEngagementAnalytics"/>), so both count the same. Family-only sessions are not the client's
/// engagement and never come here.
/// </summary>
internal static class SessionEngagement
{
    /// <summary>Whether the analytics take this event at all (an activity, or a change of the session's state).</summary>
    public static bool Concerns(SessionEventDto e) => e.Kind switch
    {
        EventKinds.Text => e.Sender.Role is Roles.Client or Roles.Counselor or Roles.Supervisor,
        EventKinds.Speak => e.Sender.Role is Roles.Counselor or Roles.Supervisor,
        EventKinds.System => StateChange(e.Body) is not null,
        _ => false,
    };

    /// <summary>What the event counts as, if anything.</summary>
    public static EngagementEvent? Activity(SessionEventDto e) => e.Kind switch
    {
        EventKinds.Text when e.Sender.Role is Roles.Client => new ClientMessageSent(e.SessionId, e.At),
        EventKinds.Text or EventKinds.Speak when e.Sender.Role is Roles.Counselor or Roles.Supervisor => new CounselorMessageSent(e.SessionId, e.At),
        EventKinds.System => StateChange(e.Body) switch
        {
            SessionStates.Active => new SessionAttended(e.SessionId, e.At),
            SessionStates.Cancelled => new SessionCancelled(e.SessionId, e.At),
            SessionStates.NoShow => new SessionNoShow(e.SessionId, e.At),
            _ => null,
        },
        _ => null,
    };

    /// <summary>Whether the event closes the session: nothing the analytics take can follow it.</summary>
    public static bool Closes(SessionEventDto e) =>
        e.Kind == EventKinds.System && StateChange(e.Body) is SessionStates.Ended or SessionStates.Cancelled or SessionStates.NoShow;

    /// <summary>The state a system event moves the session to, or null for joins, leaves and anything else.</summary>
    private static string? StateChange(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("action", out var action) && action.ValueEquals(SystemEvents.State)
        && body.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
            ? state.GetString()
            : null;
}

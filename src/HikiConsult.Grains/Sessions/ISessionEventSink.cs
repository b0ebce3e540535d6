using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Hook for everything that reacts to session history (risk detection, analytics, triage). The session grain
/// calls every registered sink, in registration order, after an event is durable and broadcast and before the
/// sender's ack returns. Sinks run inside the session's turn: keep them short (hand heavy work to another
/// grain or a queue) and never call back into the same session grain. A sink that throws is logged and
/// skipped; it never fails or alters the message. On activation the grain gives the log's last event to the sinks
/// again (see <see cref="PersistedSessionEvent.Redelivered"/>), so a sink may see an event twice.
/// </summary>
public interface ISessionEventSink
{
    Task OnEventPersistedAsync(PersistedSessionEvent persisted, CancellationToken cancellationToken);
}

/// <summary>
/// An event that is in the log, with the session facts a sink needs to route it. <paramref name="Redelivered"/>: given
/// again when the session's grain is activated, because it is the log's last event and the process may have died
/// after its append and before the sinks had it (which the session cannot tell); a sink that must not miss an event
/// and has no other way to find it acts on it, once by its seq.
/// </summary>
public sealed record PersistedSessionEvent(SessionEventDto Event, string ClientId, bool FamilyOnly, string SessionState, bool Redelivered = false);

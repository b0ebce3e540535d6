using System.Collections.Immutable;
using HikiConsult.Contracts;
using HikiConsult.Domain;
using HikiConsult.Domain.Engagement;
using HikiConsult.Grains.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// One client's session-history analytics: folds every event of the client's own sessions that the analytics take
/// (<see cref="SessionEngagement"/>) into a bounded state, once each by its seq, and says when the result must be
/// written. What was not written when the process died is read from the session logs again on activation
/// (<see cref="CatchUpAsync"/>). Writing, and the timer that writes behind, are <see cref="ClientEarlyConsultationGrain"/>'s.
/// </summary>
internal sealed partial class ClientEngagementAnalytics(
    string clientId,
    IPersistentState<ClientEarlyConsultationState> state,
    ISessionEventStore sessionEvents,
    EarlyConsultationOptions options,
    ILogger logger)
{
    /// <summary>How many recently closed sessions are kept (a client has a few sessions a week).</summary>
    private const int ClosedSessionsKept = 64;

    /// <summary>Events read per query when a session log is read on after a restart.</summary>
    private const int CatchUpPageSize = 500;

    /// <summary>Open sessions with the seq of the last event applied; copied into the state on every write.</summary>
    private readonly Dictionary<string, long> _openSessions = new(StringComparer.Ordinal);

    /// <summary>
    /// The <see cref="ClosedSessionsKept"/> sessions closed most recently, kept with the state; nothing of theirs is
    /// applied again. A close can reach the grain twice: the session's one-way call that activates the grain arrives
    /// after the activation's catch-up read the same close from the log (the client's list still had the session
    /// open); and a process that died after the session's state write but before the client's grain heard of it
    /// leaves the session listed open, so the next activation would read its whole log again. A closed session is no
    /// longer in <see cref="_openSessions"/>, so without this it would count twice. Nothing the analytics take
    /// follows a close in a session's log.
    /// </summary>
    private readonly HashSet<string> _closedSessions = new(StringComparer.Ordinal);
    private readonly Queue<string> _closedOrder = new();
    private EngagementStateBuilder? _builder;
    private string _timeZone = "UTC";
    private Random? _writeSpread;

    private ClientEarlyConsultationState S => state.State;

    /// <summary>The analytics as they stand (the stored state lags behind by up to the write delay).</summary>
    public EngagementState Current => _builder?.ToState() ?? S.Engagement ?? EngagementState.Create(_timeZone);

    /// <summary>
    /// Whether the stored state was written before positions were kept: it holds everything up to that write, how far
    /// is unknown, so counting goes on from each open log's end (<see cref="StartAtLogEndsAsync"/>).
    /// </summary>
    public bool WrittenWithoutPositions => S.OpenSessions is null && S.Engagement is not null;

    /// <summary>Where events are applied, from the first one of this activation on.</summary>
    private EngagementStateBuilder Builder => _builder ??= new EngagementStateBuilder(Current);

    /// <summary>Starts with the client's record: its time zone is the analytics', and later events are read in a new one.</summary>
    public void Start(string timeZone, DateTimeOffset now)
    {
        _timeZone = timeZone;
        if (S.Engagement is { } engagement && engagement.TimeZoneId != timeZone)
        {
            Builder.Apply(new ClientTimeZoneChanged(timeZone, now));
        }
    }

    /// <summary>Applies what a clinical record adds (an assessment score, a Kato status).</summary>
    public void Apply(EngagementEvent e) => Builder.Apply(e);

    /// <summary>
    /// Applies one session event, after the events of the session's log before it that may be missing: Orleans
    /// promises no order for the one-way call that brings it, so an event after a gap takes the events before it from
    /// the log first, and each is counted once and in order whatever order the calls arrive in.
    /// </summary>
    public async Task<AnalyticsWrite> RecordAsync(SessionEventDto e)
    {
        var write = await ApplyLogBeforeAsync(e);
        var own = Apply(e);
        return own > write ? own : write;
    }

    /// <summary>
    /// Applies what the client's session logs hold beyond the written analytics (what a crash left unwritten): each
    /// session open at the last write from where it stood, and each session open now (<paramref name="openNow"/>) that
    /// it did not know from its start. Sessions that were closed by then were written with their close.
    /// </summary>
    public async Task<AnalyticsWrite> CatchUpAsync(IReadOnlyList<string> openNow, CancellationToken cancellationToken)
    {
        foreach (var (sessionId, seq) in S.OpenSessions ?? ImmutableDictionary<string, long>.Empty)
        {
            _openSessions[sessionId] = seq;
        }

        foreach (var sessionId in S.ClosedSessions ?? [])
        {
            RememberClosed(sessionId);
        }

        var write = AnalyticsWrite.None;
        foreach (var sessionId in _openSessions.Keys.Union(openNow).Where(id => !_closedSessions.Contains(id)).ToList())
        {
            var afterSeq = _openSessions.GetValueOrDefault(sessionId);
            IReadOnlyList<SessionEventDto> page;
            do
            {
                page = await sessionEvents.ReadAsync(sessionId, afterSeq, CatchUpPageSize, cancellationToken);
                foreach (var e in page.Where(SessionEngagement.Concerns))
                {
                    var needed = Apply(e);
                    write = needed > write ? needed : write;
                }

                afterSeq = page.Count > 0 ? page[^1].Seq : afterSeq;
            }
            while (page.Count == CatchUpPageSize);
        }

        return write;
    }

    /// <summary>For a state <see cref="WrittenWithoutPositions"/>: each open session counts on from its log's end.</summary>
    public async Task StartAtLogEndsAsync(IReadOnlyList<string> openNow, CancellationToken cancellationToken)
    {
        foreach (var sessionId in openNow)
        {
            _openSessions[sessionId] = await sessionEvents.GetLastSeqAsync(sessionId, cancellationToken);
        }
    }

    /// <summary>The state to write: <paramref name="written"/> with the analytics and the sessions' positions as they stand.</summary>
    public ClientEarlyConsultationState WrittenInto(ClientEarlyConsultationState written) => written with
    {
        Engagement = _builder?.ToState() ?? written.Engagement,
        OpenSessions = _openSessions.ToImmutableDictionary(StringComparer.Ordinal),
        ClosedSessions = [.. _closedOrder],
    };

    /// <summary>
    /// Between half and all of <see cref="EarlyConsultationOptions.AnalyticsWriteDelay"/>: clients whose sessions got
    /// busy at the same moment would otherwise write (and update triage) in the same instant, every delay, as one
    /// burst that holds up the relay. Seeded by the client id, so that a simulated run repeats exactly.
    /// </summary>
    public TimeSpan NextWriteDelay()
    {
        _writeSpread ??= new Random(StableSeed(clientId));
        return options.AnalyticsWriteDelay * (0.5 + (0.5 * _writeSpread.NextDouble()));
    }

    private static int StableSeed(string text)
    {
        // FNV-1a: string.GetHashCode differs from process to process.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    /// <summary>
    /// Applies the events of the session's log between the last one applied and <paramref name="e"/>, if any may be
    /// missing: events the analytics do not take are never sent here, so a gap is only known by reading.
    /// </summary>
    private async Task<AnalyticsWrite> ApplyLogBeforeAsync(SessionEventDto e)
    {
        if (_closedSessions.Contains(e.SessionId))
        {
            return AnalyticsWrite.None;
        }

        var applied = _openSessions.TryGetValue(e.SessionId, out var seq) ? seq : 0;
        if (e.Seq <= applied + 1)
        {
            return AnalyticsWrite.None;
        }

        var write = AnalyticsWrite.None;
        foreach (var earlier in await sessionEvents.ReadAsync(e.SessionId, applied, checked((int)(e.Seq - 1 - applied))))
        {
            if (SessionEngagement.Concerns(earlier))
            {
                var needed = Apply(earlier);
                write = needed > write ? needed : write;
            }
        }

        return write;
    }

    /// <summary>Applies one session event, unless the analytics hold it already, and says when it must be written.</summary>
    private AnalyticsWrite Apply(SessionEventDto e)
    {
        var known = _openSessions.TryGetValue(e.SessionId, out var appliedSeq);
        if ((known && e.Seq <= appliedSeq) || _closedSessions.Contains(e.SessionId))
        {
            return AnalyticsWrite.None;
        }

        var activity = SessionEngagement.Activity(e);
        if (activity is not null)
        {
            try
            {
                Builder.Apply(activity);
            }
            catch (InvalidRecordException ex)
            {
                ActivityRejected(logger, clientId, activity.GetType().Name, ex.Message);
            }
        }

        var closes = SessionEngagement.Closes(e);
        if (closes)
        {
            _openSessions.Remove(e.SessionId);
            RememberClosed(e.SessionId);
        }
        else
        {
            _openSessions[e.SessionId] = e.Seq;
        }

        // Messages are frequent: written behind, once per write delay, with triage; a crash loses nothing of them,
        // as the next activation reads them from the log again. A session's first event and its close change which
        // logs that read covers, and attendance changes triage: those are rare and written at once.
        if (!known || closes || options.AnalyticsWriteDelay == TimeSpan.Zero)
        {
            return AnalyticsWrite.AtOnce;
        }

        return activity is null or ClientMessageSent or CounselorMessageSent ? AnalyticsWrite.Behind : AnalyticsWrite.AtOnce;
    }

    private void RememberClosed(string sessionId)
    {
        if (!_closedSessions.Add(sessionId))
        {
            return;
        }

        _closedOrder.Enqueue(sessionId);
        if (_closedOrder.Count > ClosedSessionsKept)
        {
            _closedSessions.Remove(_closedOrder.Dequeue());
        }
    }

    [LoggerMessage(5, LogLevel.Warning, "Session-history event {EventType} for client {ClientId} not applied: {Reason}")]
    private static partial void ActivityRejected(ILogger logger, string clientId, string eventType, string reason);
}

/// <summary>When an applied session event must be written (ordered: the larger need wins).</summary>
internal enum AnalyticsWrite
{
    None,
    Behind,
    AtOnce,
}

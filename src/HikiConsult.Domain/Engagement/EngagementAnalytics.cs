using System.Collections.Immutable;

namespace HikiConsult.Domain.Engagement;

/// <summary>
/// Pure folds of session-history events into <see cref="EngagementState"/>. Each event touches only bounded parts of
/// the state (one day entry, one hour counter, one recent session, one series), so an update costs O(1) however
/// long the history is.
/// </summary>
public static class EngagementAnalytics
{
    public const string Source = Sources.EngagementAnalytics;

    /// <summary>Applies an event with its log sequence number; an event at or below <see cref="EngagementState.LastSeq"/> is a replay and changes nothing.</summary>
    public static EngagementState Apply(this EngagementState state, EngagementEvent e, long seq) =>
        seq <= state.LastSeq ? state : state.Apply(e) with { LastSeq = seq };

    public static EngagementState Apply(this EngagementState state, EngagementEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            SessionAttended a => Attended(state, a),
            SessionCancelled c => WithDay(state, c.At, d => d with { SessionsCancelled = d.SessionsCancelled + 1 }) with
            {
                SessionsCancelled = state.SessionsCancelled + 1,
            },
            SessionNoShow n => WithDay(state, n.At, d => d with { NoShows = d.NoShows + 1 }) with
            {
                NoShows = state.NoShows + 1,
                CurrentNoShowStreak = state.CurrentNoShowStreak + 1,
                LongestNoShowStreak = Math.Max(state.LongestNoShowStreak, state.CurrentNoShowStreak + 1),
            },
            ClientMessageSent m => ClientMessage(state, m),
            CounselorMessageSent c => state with
            {
                CounselorMessages = state.CounselorMessages + 1,
                // The wait is measured from the first message the client has not answered yet.
                AwaitingReplySince = state.AwaitingReplySince ?? c.At,
            },
            AssessmentScored a => state with
            {
                Assessments = state.Assessments.SetItem(a.Instrument,
                    InsertBounded(state.Assessments.GetValueOrDefault(a.Instrument, []), new ScorePoint(a.At, a.Total, a.Band, a.Cutoff), p => p.At, EngagementState.PointsKeptPerSeries)),
            },
            KatoStatusRecorded k => state with
            {
                KatoHistory = InsertBounded(state.KatoHistory, new KatoPoint(k.At, k.Status, k.Severity), p => p.At, EngagementState.PointsKeptPerSeries),
            },
            ClientTimeZoneChanged z => TimeZoneChanged(state, z),
            _ => throw new ArgumentException($"Unknown engagement event {e.GetType().Name}", nameof(e)),
        };
    }

    private static EngagementState TimeZoneChanged(EngagementState state, ClientTimeZoneChanged z)
    {
        ClientTime.Resolve(z.TimeZoneId); // throws InvalidRecordException for an unknown zone, before anything changes
        return state with { TimeZoneId = z.TimeZoneId };
    }

    private static EngagementState Attended(EngagementState state, SessionAttended a)
    {
        var (sessions, isNew) = TouchSession(state.RecentSessions, a.SessionId, messages: 0);
        var night = IsNight(state, a.At);
        var s = WithDay(state, a.At, d => d with
        {
            SessionsAttended = d.SessionsAttended + 1,
            ClientActivity = d.ClientActivity + 1,
            NightActivity = d.NightActivity + (night ? 1 : 0),
        });
        return s with
        {
            SessionsAttended = state.SessionsAttended + 1,
            CurrentNoShowStreak = 0,
            LastContactAt = Later(state.LastContactAt, a.At),
            ActivityByHour = CountHour(state, a.At),
            RecentSessions = sessions,
            SessionsSeen = state.SessionsSeen + (isNew ? 1 : 0),
        };
    }

    private static EngagementState ClientMessage(EngagementState state, ClientMessageSent m)
    {
        var night = IsNight(state, m.At);
        var s = WithDay(state, m.At, d => d with
        {
            ClientMessages = d.ClientMessages + 1,
            ClientActivity = d.ClientActivity + 1,
            NightActivity = d.NightActivity + (night ? 1 : 0),
        });
        s = s with
        {
            ClientMessages = state.ClientMessages + 1,
            LastContactAt = Later(state.LastContactAt, m.At),
            ActivityByHour = CountHour(state, m.At),
        };
        if (m.SessionId is not null)
        {
            var (sessions, isNew) = TouchSession(state.RecentSessions, m.SessionId, messages: 1);
            s = s with
            {
                RecentSessions = sessions,
                SessionsSeen = state.SessionsSeen + (isNew ? 1 : 0),
                ClientMessagesInSessions = state.ClientMessagesInSessions + 1,
            };
        }
        if (state.AwaitingReplySince is { } since && m.At >= since)
        {
            var seconds = (m.At - since).TotalSeconds;
            var replies = state.Replies + 1;
            var recent = state.RecentReplySeconds.Add(seconds);
            if (recent.Length > EngagementState.RecentLatenciesKept) recent = recent.RemoveAt(0);
            s = s with
            {
                AwaitingReplySince = null,
                Replies = replies,
                MeanReplySeconds = state.MeanReplySeconds + (seconds - state.MeanReplySeconds) / replies,
                RecentReplySeconds = recent,
            };
        }
        return s;
    }

    private static (ImmutableArray<SessionMessages> Sessions, bool IsNew) TouchSession(ImmutableArray<SessionMessages> sessions, string sessionId, int messages)
    {
        // Recent sessions are few (bounded); a linear look-up is constant work.
        for (var i = sessions.Length - 1; i >= 0; i--)
        {
            if (sessions[i].SessionId == sessionId)
            {
                return messages == 0
                    ? (sessions, false)
                    : (sessions.SetItem(i, sessions[i] with { ClientMessages = sessions[i].ClientMessages + messages }), false);
            }
        }
        var added = sessions.Add(new SessionMessages(sessionId, messages));
        if (added.Length > EngagementState.RecentSessionsKept) added = added.RemoveAt(0);
        return (added, true);
    }

    private static EngagementState WithDay(EngagementState state, DateTimeOffset at, Func<DayActivity, DayActivity> update)
    {
        var date = DateOnly.FromDateTime(ClientTime.Local(at, state.TimeZoneId));
        var days = state.Days;
        if (days.Length == 0 || date > days[^1].Date)
        {
            days = days.Add(update(Empty(date)));
            var oldest = date.AddDays(-(EngagementState.DaysKept - 1));
            var drop = 0;
            while (drop < days.Length && days[drop].Date < oldest) drop++;
            if (drop > 0) days = days.RemoveRange(0, drop);
            return state with { Days = days };
        }
        if (date < days[^1].Date.AddDays(-(EngagementState.DaysKept - 1)))
        {
            return state; // older than the kept window: totals still count it, per-day charts do not
        }
        for (var i = days.Length - 1; i >= 0; i--)
        {
            if (days[i].Date == date) return state with { Days = days.SetItem(i, update(days[i])) };
            if (days[i].Date < date) return state with { Days = days.Insert(i + 1, update(Empty(date))) };
        }
        return state with { Days = days.Insert(0, update(Empty(date))) };
    }

    private static DayActivity Empty(DateOnly date) => new(date, 0, 0, 0, 0, 0, 0);

    private static ImmutableArray<int> CountHour(EngagementState state, DateTimeOffset at)
    {
        var hour = ClientTime.Local(at, state.TimeZoneId).Hour;
        return state.ActivityByHour.SetItem(hour, state.ActivityByHour[hour] + 1);
    }

    private static bool IsNight(EngagementState state, DateTimeOffset at) => ClientTime.IsNight(ClientTime.Local(at, state.TimeZoneId).Hour);

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static ImmutableArray<T> InsertBounded<T>(ImmutableArray<T> items, T item, Func<T, DateTimeOffset> at, int max)
    {
        var i = items.Length;
        while (i > 0 && at(items[i - 1]) > at(item)) i--;
        var result = items.Insert(i, item);
        return result.Length > max ? result.RemoveAt(0) : result;
    }
}

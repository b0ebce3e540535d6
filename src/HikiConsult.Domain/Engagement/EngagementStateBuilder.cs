using System.Collections.Immutable;

namespace HikiConsult.Domain.Engagement;

/// <summary>
/// The fold of <see cref="EngagementAnalytics"/>, on a mutable copy of an <see cref="EngagementState"/> for one owner
/// that applies events one at a time (a client's grain). Counters and bounded lists change in place: an event costs
/// no copy of the state, and a long-lived state does not turn into new objects with every message (which the garbage
/// collector would have to copy out of its youngest generation). <see cref="ToState"/> gives the immutable state to
/// store or read; it is kept until the next event.
/// </summary>
public sealed class EngagementStateBuilder
{
    private readonly List<SessionMessages> _recentSessions;
    private readonly List<DayActivity> _days;
    private readonly int[] _activityByHour;
    private readonly List<double> _recentReplySeconds;
    private readonly Dictionary<string, List<ScorePoint>> _assessments;
    private readonly List<KatoPoint> _katoHistory;
    private string _timeZoneId;
    private long _lastSeq;
    private int _sessionsAttended;
    private int _sessionsCancelled;
    private int _noShows;
    private int _currentNoShowStreak;
    private int _longestNoShowStreak;
    private DateTimeOffset? _lastContactAt;
    private int _clientMessages;
    private int _counselorMessages;
    private int _clientMessagesInSessions;
    private int _sessionsSeen;
    private DateTimeOffset? _awaitingReplySince;
    private int _replies;
    private double _meanReplySeconds;
    private EngagementState? _state;

    public EngagementStateBuilder(EngagementState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _timeZoneId = state.TimeZoneId;
        _lastSeq = state.LastSeq;
        _sessionsAttended = state.SessionsAttended;
        _sessionsCancelled = state.SessionsCancelled;
        _noShows = state.NoShows;
        _currentNoShowStreak = state.CurrentNoShowStreak;
        _longestNoShowStreak = state.LongestNoShowStreak;
        _lastContactAt = state.LastContactAt;
        _clientMessages = state.ClientMessages;
        _counselorMessages = state.CounselorMessages;
        _clientMessagesInSessions = state.ClientMessagesInSessions;
        _sessionsSeen = state.SessionsSeen;
        _awaitingReplySince = state.AwaitingReplySince;
        _replies = state.Replies;
        _meanReplySeconds = state.MeanReplySeconds;
        _recentSessions = [.. state.RecentSessions];
        _days = [.. state.Days];
        _activityByHour = [.. state.ActivityByHour];
        _recentReplySeconds = [.. state.RecentReplySeconds];
        _assessments = state.Assessments.ToDictionary(s => s.Key, s => new List<ScorePoint>(s.Value), StringComparer.Ordinal);
        _katoHistory = [.. state.KatoHistory];
    }

    /// <summary>Applies an event with its log sequence number; one at or below the last applied is a replay and changes nothing.</summary>
    public void Apply(EngagementEvent e, long seq)
    {
        if (seq <= _lastSeq)
        {
            return;
        }

        Apply(e);
        _lastSeq = seq;
    }

    /// <exception cref="InvalidRecordException">A time zone change to an unknown zone; nothing changes.</exception>
    public void Apply(EngagementEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e)
        {
            case SessionAttended a:
                Attended(a);
                break;
            case SessionCancelled c:
                AddToDay(c.At, cancelled: 1);
                _sessionsCancelled++;
                break;
            case SessionNoShow n:
                AddToDay(n.At, noShows: 1);
                _noShows++;
                _currentNoShowStreak++;
                _longestNoShowStreak = Math.Max(_longestNoShowStreak, _currentNoShowStreak);
                break;
            case ClientMessageSent m:
                ClientMessage(m);
                break;
            case CounselorMessageSent c:
                _counselorMessages++;
                // The wait is measured from the first message the client has not answered yet.
                _awaitingReplySince ??= c.At;
                break;
            case AssessmentScored a:
                if (!_assessments.TryGetValue(a.Instrument, out var series))
                {
                    series = [];
                    _assessments[a.Instrument] = series;
                }

                InsertBounded(series, new ScorePoint(a.At, a.Total, a.Band, a.Cutoff), static p => p.At, EngagementState.PointsKeptPerSeries);
                break;
            case KatoStatusRecorded k:
                InsertBounded(_katoHistory, new KatoPoint(k.At, k.Status, k.Severity), static p => p.At, EngagementState.PointsKeptPerSeries);
                break;
            case ClientTimeZoneChanged z:
                ClientTime.Resolve(z.TimeZoneId); // throws InvalidRecordException for an unknown zone, before anything changes
                _timeZoneId = z.TimeZoneId;
                break;
            default:
                throw new ArgumentException($"Unknown engagement event {e.GetType().Name}", nameof(e));
        }

        _state = null;
    }

    /// <summary>The state as it stands, immutable.</summary>
    public EngagementState ToState() => _state ??= new EngagementState
    {
        TimeZoneId = _timeZoneId,
        LastSeq = _lastSeq,
        SessionsAttended = _sessionsAttended,
        SessionsCancelled = _sessionsCancelled,
        NoShows = _noShows,
        CurrentNoShowStreak = _currentNoShowStreak,
        LongestNoShowStreak = _longestNoShowStreak,
        LastContactAt = _lastContactAt,
        ClientMessages = _clientMessages,
        CounselorMessages = _counselorMessages,
        ClientMessagesInSessions = _clientMessagesInSessions,
        SessionsSeen = _sessionsSeen,
        RecentSessions = [.. _recentSessions],
        Days = [.. _days],
        ActivityByHour = [.. _activityByHour],
        AwaitingReplySince = _awaitingReplySince,
        Replies = _replies,
        MeanReplySeconds = _meanReplySeconds,
        RecentReplySeconds = [.. _recentReplySeconds],
        Assessments = _assessments.ToImmutableDictionary(s => s.Key, s => s.Value.ToImmutableArray(), StringComparer.Ordinal),
        KatoHistory = [.. _katoHistory],
    };

    private void Attended(SessionAttended a)
    {
        var isNew = TouchSession(a.SessionId, messages: 0);
        AddToDay(a.At, clientActivity: 1, nightActivity: IsNight(a.At) ? 1 : 0, attended: 1);
        _sessionsAttended++;
        _currentNoShowStreak = 0;
        _lastContactAt = Later(_lastContactAt, a.At);
        CountHour(a.At);
        _sessionsSeen += isNew ? 1 : 0;
    }

    private void ClientMessage(ClientMessageSent m)
    {
        AddToDay(m.At, clientMessages: 1, clientActivity: 1, nightActivity: IsNight(m.At) ? 1 : 0);
        _clientMessages++;
        _lastContactAt = Later(_lastContactAt, m.At);
        CountHour(m.At);
        if (m.SessionId is not null)
        {
            _sessionsSeen += TouchSession(m.SessionId, messages: 1) ? 1 : 0;
            _clientMessagesInSessions++;
        }

        if (_awaitingReplySince is { } since && m.At >= since)
        {
            var seconds = (m.At - since).TotalSeconds;
            _recentReplySeconds.Add(seconds);
            if (_recentReplySeconds.Count > EngagementState.RecentLatenciesKept)
            {
                _recentReplySeconds.RemoveAt(0);
            }

            _awaitingReplySince = null;
            _replies++;
            _meanReplySeconds += (seconds - _meanReplySeconds) / _replies;
        }
    }

    /// <summary>Counts messages to a recent session; true when the session was not among the recent ones.</summary>
    private bool TouchSession(string sessionId, int messages)
    {
        // Recent sessions are few (bounded); a linear look-up is constant work.
        for (var i = _recentSessions.Count - 1; i >= 0; i--)
        {
            if (_recentSessions[i].SessionId == sessionId)
            {
                if (messages != 0)
                {
                    _recentSessions[i] = _recentSessions[i] with { ClientMessages = _recentSessions[i].ClientMessages + messages };
                }

                return false;
            }
        }

        _recentSessions.Add(new SessionMessages(sessionId, messages));
        if (_recentSessions.Count > EngagementState.RecentSessionsKept)
        {
            _recentSessions.RemoveAt(0);
        }

        return true;
    }

    private void AddToDay(
        DateTimeOffset at, int clientMessages = 0, int clientActivity = 0, int nightActivity = 0, int attended = 0, int cancelled = 0, int noShows = 0)
    {
        var date = DateOnly.FromDateTime(ClientTime.Local(at, _timeZoneId));
        DayActivity Added(DayActivity d) => d with
        {
            ClientMessages = d.ClientMessages + clientMessages,
            ClientActivity = d.ClientActivity + clientActivity,
            NightActivity = d.NightActivity + nightActivity,
            SessionsAttended = d.SessionsAttended + attended,
            SessionsCancelled = d.SessionsCancelled + cancelled,
            NoShows = d.NoShows + noShows,
        };

        if (_days.Count == 0 || date > _days[^1].Date)
        {
            _days.Add(Added(Empty(date)));
            var oldest = date.AddDays(-(EngagementState.DaysKept - 1));
            var drop = 0;
            while (drop < _days.Count && _days[drop].Date < oldest)
            {
                drop++;
            }

            _days.RemoveRange(0, drop);
            return;
        }

        if (date < _days[^1].Date.AddDays(-(EngagementState.DaysKept - 1)))
        {
            return; // older than the kept window: totals still count it, per-day charts do not
        }

        for (var i = _days.Count - 1; i >= 0; i--)
        {
            if (_days[i].Date == date)
            {
                _days[i] = Added(_days[i]);
                return;
            }

            if (_days[i].Date < date)
            {
                _days.Insert(i + 1, Added(Empty(date)));
                return;
            }
        }

        _days.Insert(0, Added(Empty(date)));
    }

    private static DayActivity Empty(DateOnly date) => new(date, 0, 0, 0, 0, 0, 0);

    private void CountHour(DateTimeOffset at) => _activityByHour[ClientTime.Local(at, _timeZoneId).Hour]++;

    private bool IsNight(DateTimeOffset at) => ClientTime.IsNight(ClientTime.Local(at, _timeZoneId).Hour);

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static void InsertBounded<T>(List<T> items, T item, Func<T, DateTimeOffset> at, int max)
    {
        var i = items.Count;
        while (i > 0 && at(items[i - 1]) > at(item))
        {
            i--;
        }

        items.Insert(i, item);
        if (items.Count > max)
        {
            items.RemoveAt(0);
        }
    }
}

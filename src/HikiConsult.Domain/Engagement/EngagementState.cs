using System.Collections.Immutable;
using HikiConsult.Domain.Kato;
using Orleans;

namespace HikiConsult.Domain.Engagement;

/// <summary>
/// Everything the analytics keep about one client, updated event by event (see <see cref="EngagementAnalytics"/>)
/// and never by rescanning history. Every collection is bounded, so each update costs a constant amount of work and
/// the state stays small enough to persist on every event. Serializable with System.Text.Json as is.
/// </summary>
public sealed record EngagementState
{
    /// <summary>Days of per-day counts kept: 13 weeks (charts show 12 full weeks plus the current one).</summary>
    public const int DaysKept = 91;
    public const int RecentSessionsKept = 12;
    public const int RecentLatenciesKept = 20;
    public const int PointsKeptPerSeries = 100;

    /// <summary>The client's IANA time zone, used for local hours (night activity) and days.</summary>
    public string TimeZoneId { get; init; } = "UTC";

    /// <summary>Sequence number of the last event applied (0: none); lets a caller skip replays.</summary>
    public long LastSeq { get; init; }

    public int SessionsAttended { get; init; }
    public int SessionsCancelled { get; init; }
    public int NoShows { get; init; }

    /// <summary>No-shows since the last attended session.</summary>
    public int CurrentNoShowStreak { get; init; }
    public int LongestNoShowStreak { get; init; }

    /// <summary>Last time the client was in touch: a message or an attended session.</summary>
    public DateTimeOffset? LastContactAt { get; init; }

    public int ClientMessages { get; init; }
    public int CounselorMessages { get; init; }

    /// <summary>Client messages that belong to a session.</summary>
    public int ClientMessagesInSessions { get; init; }

    /// <summary>Sessions attended or written in (counted once while among the recent ones).</summary>
    public int SessionsSeen { get; init; }

    /// <summary>Client messages per session for the most recent sessions, oldest first.</summary>
    public ImmutableArray<SessionMessages> RecentSessions { get; init; } = [];

    /// <summary>Per local day counts for the last <see cref="DaysKept"/> days with activity, oldest first (sparse).</summary>
    public ImmutableArray<DayActivity> Days { get; init; } = [];

    /// <summary>Client activity (messages and attended sessions) by local hour of day, 0-23, all time.</summary>
    public ImmutableArray<int> ActivityByHour { get; init; } = [.. new int[24]];

    /// <summary>First counselor message the client has not yet answered.</summary>
    public DateTimeOffset? AwaitingReplySince { get; init; }

    public int Replies { get; init; }
    public double MeanReplySeconds { get; init; }
    public ImmutableArray<double> RecentReplySeconds { get; init; } = [];

    /// <summary>Score series per instrument id, oldest first, the last <see cref="PointsKeptPerSeries"/> each.</summary>
    public ImmutableDictionary<string, ImmutableArray<ScorePoint>> Assessments { get; init; } =
        ImmutableDictionary<string, ImmutableArray<ScorePoint>>.Empty;

    /// <summary>Kato 2020 status history, oldest first, the last <see cref="PointsKeptPerSeries"/>.</summary>
    public ImmutableArray<KatoPoint> KatoHistory { get; init; } = [];

    /// <summary>A new state for a client in the given IANA time zone.</summary>
    /// <exception cref="InvalidRecordException">The time zone is unknown.</exception>
    public static EngagementState Create(string timeZoneId)
    {
        ClientTime.Resolve(timeZoneId);
        return new EngagementState { TimeZoneId = timeZoneId };
    }
}

// Values, not objects: the builder replaces an entry on every message, and an entry of a long-lived list that
// pointed at a new object each time was a reference from the old generation into the young one per client.
public readonly record struct SessionMessages(string SessionId, int ClientMessages);

/// <summary>One local day of client activity.</summary>
public readonly record struct DayActivity(
    DateOnly Date,
    int ClientMessages,
    int ClientActivity,
    int NightActivity,
    int SessionsAttended,
    int SessionsCancelled,
    int NoShows);

[GenerateSerializer, Immutable, Alias("hc.ScorePoint")]
public sealed record ScorePoint(DateTimeOffset At, int? Total, string? Band, int? Cutoff);

[GenerateSerializer, Immutable, Alias("hc.KatoPoint")]
public sealed record KatoPoint(DateTimeOffset At, KatoStatus Status, KatoSeverity? Severity);

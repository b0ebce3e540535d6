using HikiConsult.Domain.Instruments;
using Orleans;

namespace HikiConsult.Domain.Engagement;

/// <summary>
/// The series a counselor console charts for one client: assessment scores over time with their cut-off and band
/// lines, engagement per week, activity by local hour of day, and the Kato status history. A projection of
/// <see cref="EngagementState"/>: computing it reads only the bounded state, never the event log.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.Timeline")]
public sealed record Timeline(
    string TimeZoneId,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<AssessmentSeries> Assessments,
    IReadOnlyList<WeekEngagement> EngagementByWeek,
    IReadOnlyList<int> ActivityByHour,
    IReadOnlyList<KatoPoint> KatoHistory,
    EngagementSummary Summary,
    IReadOnlyList<string> Sources,
    string Label)
{
    public const int DefaultWeeks = 12;

    /// <param name="catalog">Gives instrument names and the threshold lines; without it series have no lines.</param>
    public static Timeline Project(EngagementState state, DateTimeOffset now, InstrumentCatalog? catalog = null, int weeks = DefaultWeeks)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(weeks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weeks, EngagementState.DaysKept / 7);

        var sources = new List<string> { Domain.Sources.EngagementAnalytics };
        var series = new List<AssessmentSeries>();
        foreach (var (instrument, points) in state.Assessments.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            InstrumentDefinition? definition = null;
            if (catalog is not null && catalog.TryGet(instrument, out var d)) definition = d;
            var cutoff = points.Length > 0 && points[^1].Cutoff is { } c ? c
                : definition is null ? null : catalog!.ScoringOptions.CutoffFor(definition);
            series.Add(new AssessmentSeries(
                instrument,
                definition?.Name ?? instrument,
                points,
                definition is null ? [] : Thresholds(definition, cutoff),
                definition is { Scoring: ScoringMethods.Sum } ? definition.TotalRange.Max : null));
            if (definition is not null) sources.Add(definition.Source.ToString());
        }
        if (state.KatoHistory.Length > 0) sources.Add(Domain.Sources.Kato2020);

        var today = DateOnly.FromDateTime(ClientTime.Local(now, state.TimeZoneId));
        var firstWeek = ClientTime.WeekStart(today).AddDays(-7 * (weeks - 1));
        var byWeek = new WeekAccumulator[weeks];
        foreach (var day in state.Days)
        {
            if (day.Date < firstWeek || day.Date > today) continue;
            byWeek[(day.Date.DayNumber - firstWeek.DayNumber) / 7].Add(day);
        }
        var engagement = byWeek.Select((w, i) => w.ToWeek(firstWeek.AddDays(7 * i))).ToArray();

        var summary = new EngagementSummary(
            state.SessionsAttended,
            state.SessionsCancelled,
            state.NoShows,
            state.CurrentNoShowStreak,
            state.LastContactAt,
            state.DaysSinceLastContact(now),
            state.MessagesPerSession(),
            state.RecentMessagesPerSession(),
            state.WeeklyMessageTrend(now),
            state.Replies == 0 ? null : state.MeanReplySeconds / 60,
            state.MedianReplySeconds() / 60,
            state.NightShare(),
            state.RecentNightShare(now));

        return new Timeline(state.TimeZoneId, now, series, engagement, state.ActivityByHour, state.KatoHistory, summary, sources, DecisionSupport.Label);
    }

    private static IReadOnlyList<ThresholdLine> Thresholds(InstrumentDefinition d, int? cutoff)
    {
        if (d.Scoring != ScoringMethods.Sum) return [];
        if (d.Bands.Count > 0)
        {
            return d.Bands.Skip(1).Select(b => new ThresholdLine(b.Min, $"{b.Labels.GetValueOrDefault("en", b.Id)} from {b.Min}")).ToArray();
        }
        if (d.Cutoff is not null && cutoff is { } value)
        {
            var text = d.Cutoff.Direction == CutoffDirections.Below ? $"cut-off: below {value}" : $"cut-off: {value} or more";
            return [new ThresholdLine(value, text)];
        }
        return [];
    }

    private struct WeekAccumulator
    {
        private int _messages, _attended, _cancelled, _noShows, _activity, _night;

        public void Add(DayActivity d)
        {
            _messages += d.ClientMessages;
            _attended += d.SessionsAttended;
            _cancelled += d.SessionsCancelled;
            _noShows += d.NoShows;
            _activity += d.ClientActivity;
            _night += d.NightActivity;
        }

        public readonly WeekEngagement ToWeek(DateOnly start) =>
            new(start, _messages, _attended, _cancelled, _noShows, _activity == 0 ? null : (double)_night / _activity);
    }
}

[GenerateSerializer, Immutable, Alias("hc.AssessmentSeries")]
public sealed record AssessmentSeries(string Instrument, string Name, IReadOnlyList<ScorePoint> Points, IReadOnlyList<ThresholdLine> Thresholds, int? MaxTotal);

/// <summary>A horizontal line on a score chart: a cut-off or the start of a band.</summary>
[GenerateSerializer, Immutable, Alias("hc.ThresholdLine")]
public sealed record ThresholdLine(int Value, string Label);

[GenerateSerializer, Immutable, Alias("hc.WeekEngagement")]
public sealed record WeekEngagement(DateOnly WeekStart, int ClientMessages, int SessionsAttended, int SessionsCancelled, int NoShows, double? NightShare);

[GenerateSerializer, Immutable, Alias("hc.EngagementSummary")]
public sealed record EngagementSummary(
    int SessionsAttended,
    int SessionsCancelled,
    int NoShows,
    int CurrentNoShowStreak,
    DateTimeOffset? LastContactAt,
    int? DaysSinceLastContact,
    double? MessagesPerSession,
    double? RecentMessagesPerSession,
    WeeklyTrend WeeklyTrend,
    double? MeanReplyMinutes,
    double? MedianReplyMinutes,
    double? NightShare,
    double? RecentNightShare);

using System.Text.Json.Serialization;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Risk;
using Orleans;

namespace HikiConsult.Domain.Triage;

/// <summary>
/// What the triage rules look at for one client. Only these signals enter triage: research records (biomarkers)
/// are deliberately absent.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("hc.ClientTriageInputs")]
public sealed record ClientTriageInputs
{
    public required string ClientId { get; init; }

    /// <summary>Risk alerts raised and not yet acknowledged by a counselor.</summary>
    public IReadOnlyList<OpenRiskAlert> UnacknowledgedAlerts { get; init; } = [];

    /// <summary>Latest PHQ-9 item 9 answer (thoughts of death or self-harm, 0-3).</summary>
    public ItemAnswerObservation? Phq9Item9 { get; init; }

    /// <summary>Latest C-SSRS screener level.</summary>
    public CssrsObservation? Cssrs { get; init; }

    /// <summary>Latest Kato 2020 status.</summary>
    public KatoObservation? Kato { get; init; }

    /// <summary>The Kato 2020 status recorded before the latest one, to see a progression (pre-hikikomori to hikikomori).</summary>
    public KatoObservation? KatoPrevious { get; init; }

    /// <summary>Client messages over the last four weeks.</summary>
    public WeeklyTrend? EngagementTrend { get; init; }

    public int NoShowStreak { get; init; }

    /// <summary>
    /// Client messages in each recent attended session, oldest first; null when not known. Writing less per session
    /// is a trend; fewer messages per week can be only a missed or cancelled session.
    /// </summary>
    public IReadOnlyList<int>? SessionMessageCounts { get; init; }

    public DateTimeOffset? LastContactAt { get; init; }

    /// <summary>The two latest HQ-25 totals, for a rising score.</summary>
    public ScoreObservation? Hq25Previous { get; init; }
    public ScoreObservation? Hq25Latest { get; init; }

    /// <summary>Share of activity between 00:00 and 05:00 local time over the last 28 days.</summary>
    public double? RecentNightShare { get; init; }

    /// <summary>Share of activity between 00:00 and 05:00 over the last 7 days, and over the 21 days before them:
    /// a shift into the night is a change, a night owl's steady habit is not.</summary>
    public double? LastWeekNightShare { get; init; }
    public double? EarlierNightShare { get; init; }

    /// <summary>Fills the session-history signals from the client's analytics state.</summary>
    public ClientTriageInputs WithEngagement(EngagementState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var hq25 = state.LastTwoScores(InstrumentIds.Hq25);
        var latestHq25 = state.LatestScore(InstrumentIds.Hq25);
        var kato = state.KatoHistory.Length > 0 ? state.KatoHistory[^1] : null;
        var katoPrevious = state.KatoHistory.Length > 1 ? state.KatoHistory[^2] : null;
        var (lastWeekNight, earlierNight) = NightShares(state, now);
        var cssrs = state.LatestScore(InstrumentIds.CssrsScreener);
        return this with
        {
            EngagementTrend = state.WeeklyMessageTrend(now),
            NoShowStreak = state.CurrentNoShowStreak,
            SessionMessageCounts = [.. state.RecentSessions.Select(r => r.ClientMessages)],
            LastContactAt = state.LastContactAt,
            Hq25Previous = hq25 is { } pair ? ScoreObservation.From(pair.Previous) : null,
            Hq25Latest = latestHq25 is null ? null : ScoreObservation.From(latestHq25),
            Kato = kato is null ? Kato : new KatoObservation(kato.Status, kato.Severity, kato.At),
            KatoPrevious = katoPrevious is null ? KatoPrevious : new KatoObservation(katoPrevious.Status, katoPrevious.Severity, katoPrevious.At),
            Cssrs = cssrs?.Band is { } level && Enum.TryParse<CssrsLevel>(level, ignoreCase: true, out var parsed)
                ? new CssrsObservation(parsed, cssrs.At)
                : Cssrs,
            RecentNightShare = state.RecentNightShare(now),
            LastWeekNightShare = lastWeekNight,
            EarlierNightShare = earlierNight,
        };
    }

    /// <summary>Night-time share of the last 7 local days and of the 21 days before them (null where no activity).</summary>
    private static (double? LastWeek, double? Earlier) NightShares(EngagementState state, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(ClientTime.Local(now, state.TimeZoneId));
        int lastTotal = 0, lastNight = 0, earlierTotal = 0, earlierNight = 0;
        foreach (var d in state.Days)
        {
            var age = today.DayNumber - d.Date.DayNumber;
            if (age is < 0 or > 27) continue;
            if (age < 7)
            {
                lastTotal += d.ClientActivity;
                lastNight += d.NightActivity;
            }
            else
            {
                earlierTotal += d.ClientActivity;
                earlierNight += d.NightActivity;
            }
        }
        return (lastTotal == 0 ? null : (double)lastNight / lastTotal, earlierTotal == 0 ? null : (double)earlierNight / earlierTotal);
    }

    /// <summary>Takes the safety signals of a scored assessment (PHQ-9 item 9, C-SSRS level, HQ-25 total).</summary>
    public ClientTriageInputs WithAssessment(AssessmentResult result, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Instrument switch
        {
            InstrumentIds.Phq9 when result.AnswerTo(9) is { } item9 => this with { Phq9Item9 = new ItemAnswerObservation(item9, at) },
            InstrumentIds.CssrsScreener when Enum.TryParse<CssrsLevel>(result.Band, ignoreCase: true, out var level) =>
                this with { Cssrs = new CssrsObservation(level, at) },
            InstrumentIds.Hq25 when result.Total is { } total => this with
            {
                Hq25Previous = Hq25Latest,
                Hq25Latest = new ScoreObservation(total, result.Cutoff, at),
            },
            _ => this,
        };
    }
}

/// <summary>An unacknowledged risk alert as triage sees it (no message text: the alert itself holds the evidence).</summary>
[GenerateSerializer, Immutable, Alias("hc.OpenRiskAlert")]
public sealed record OpenRiskAlert(string AlertId, RiskCategory Category, DateTimeOffset RaisedAt, bool Escalated = false);

[GenerateSerializer, Immutable, Alias("hc.ItemAnswerObservation")]
public sealed record ItemAnswerObservation(int Answer, DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("hc.ScoreObservation")]
public sealed record ScoreObservation(int Total, int? Cutoff, DateTimeOffset At)
{
    internal static ScoreObservation? From(ScorePoint p) => p.Total is { } t ? new ScoreObservation(t, p.Cutoff, p.At) : null;
}

[GenerateSerializer, Immutable, Alias("hc.KatoObservation")]
public sealed record KatoObservation(KatoStatus Status, KatoSeverity? Severity, DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("hc.CssrsObservation")]
public sealed record CssrsObservation(CssrsLevel Level, DateTimeOffset At);

/// <summary>C-SSRS screener levels (see cssrs-screener.json).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<CssrsLevel>))]
[GenerateSerializer, Alias("hc.CssrsLevel")]
public enum CssrsLevel
{
    None,
    Low,
    Moderate,
    High,
}

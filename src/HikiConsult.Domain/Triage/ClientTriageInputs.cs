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

    /// <summary>Client messages over the last four weeks.</summary>
    public WeeklyTrend? EngagementTrend { get; init; }

    public int NoShowStreak { get; init; }

    public DateTimeOffset? LastContactAt { get; init; }

    /// <summary>The two latest HQ-25 totals, for a rising score.</summary>
    public ScoreObservation? Hq25Previous { get; init; }
    public ScoreObservation? Hq25Latest { get; init; }

    /// <summary>Share of activity between 00:00 and 05:00 local time over the last 28 days.</summary>
    public double? RecentNightShare { get; init; }

    /// <summary>Fills the session-history signals from the client's analytics state.</summary>
    public ClientTriageInputs WithEngagement(EngagementState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var hq25 = state.LastTwoScores(InstrumentIds.Hq25);
        var latestHq25 = state.LatestScore(InstrumentIds.Hq25);
        var kato = state.KatoHistory.Length > 0 ? state.KatoHistory[^1] : null;
        var cssrs = state.LatestScore(InstrumentIds.CssrsScreener);
        return this with
        {
            EngagementTrend = state.WeeklyMessageTrend(now),
            NoShowStreak = state.CurrentNoShowStreak,
            LastContactAt = state.LastContactAt,
            Hq25Previous = hq25 is { } pair ? ScoreObservation.From(pair.Previous) : null,
            Hq25Latest = latestHq25 is null ? null : ScoreObservation.From(latestHq25),
            Kato = kato is null ? Kato : new KatoObservation(kato.Status, kato.Severity, kato.At),
            Cssrs = cssrs?.Band is { } level && Enum.TryParse<CssrsLevel>(level, ignoreCase: true, out var parsed)
                ? new CssrsObservation(parsed, cssrs.At)
                : Cssrs,
            RecentNightShare = state.RecentNightShare(now),
        };
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

using System.Globalization;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Risk;

namespace HikiConsult.Domain.Triage;

/// <summary>
/// Explainable triage: each rule that applies adds points and a reason in plain words with its data. Acute safety
/// signals (an unacknowledged high-risk alert, C-SSRS high) are critical: every other rule together is capped below
/// one critical signal, so such a client always outranks clients without one. Pure and thread-safe.
/// </summary>
public static class TriageScorer
{
    public const string Source = Sources.TriageRules;

    /// <exception cref="ArgumentException">The weights are invalid.</exception>
    public static TriageResult Score(ClientTriageInputs inputs, TriageWeights weights, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weights);
        var problems = weights.Validate();
        if (problems.Count > 0) throw new ArgumentException($"Invalid triage weights: {string.Join("; ", problems)}", nameof(weights));

        var critical = new List<TriageReason>();
        var other = new List<TriageReason>();

        Alerts(inputs, weights, now, critical, other);
        Cssrs(inputs, weights, now, critical, other);
        Phq9Item9(inputs, weights, now, other);
        KatoRule(inputs, weights, other);
        Engagement(inputs, weights, now, other);
        RisingHq25(inputs, weights, now, other);

        var otherPoints = Math.Min(other.Sum(r => r.Weight), weights.CriticalPriority - 1);
        var score = critical.Sum(r => r.Weight) + Math.Max(0, otherPoints);
        var reasons = critical.Concat(other).OrderByDescending(r => r.Weight).ThenBy(r => r.Code, StringComparer.Ordinal).ToArray();
        return new TriageResult(
            inputs.ClientId,
            Math.Round(score, 2),
            critical.Count > 0,
            inputs.Kato?.Status == Kato.KatoStatus.PreHikikomori,
            reasons,
            now,
            Source,
            DecisionSupport.Label);
    }

    /// <summary>Highest score first; ties by the reason count, then client id for a stable order.</summary>
    public static IReadOnlyList<TriageResult> Rank(IEnumerable<TriageResult> results) => [.. results.Order(RankOrder)];

    /// <summary>The order of <see cref="Rank"/>, for callers that keep a ranked collection up to date.</summary>
    public static IComparer<TriageResult> RankOrder { get; } = Comparer<TriageResult>.Create(static (a, b) =>
    {
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0) return byScore;
        var byReasons = b.Reasons.Count.CompareTo(a.Reasons.Count);
        return byReasons != 0 ? byReasons : StringComparer.Ordinal.Compare(a.ClientId, b.ClientId);
    });

    private static void Alerts(ClientTriageInputs inputs, TriageWeights w, DateTimeOffset now, List<TriageReason> critical, List<TriageReason> other)
    {
        var alerts = inputs.UnacknowledgedAlerts;
        if (alerts.Count == 0) return;
        var oldest = alerts.Min(a => a.RaisedAt);
        var ageHours = Math.Max(0, (now - oldest).TotalHours);
        var agePoints = Math.Min(ageHours, w.AlertAgeCapHours) * w.AlertAgePointsPerHour;
        var categories = string.Join(", ", alerts.GroupBy(a => a.Category).OrderBy(g => RiskCategories.Urgency(g.Key))
            .Select(g => $"{Name(g.Key)} ×{g.Count()}"));
        var data = $"{alerts.Count} unacknowledged ({categories}); oldest raised {Time(oldest)}, {Age(now - oldest)} ago";
        var extra = (alerts.Count - 1) * w.AdditionalAlert;
        var high = alerts.Where(a => RiskCategories.IsHigh(a.Category)).ToArray();
        if (high.Length > 0)
        {
            critical.Add(new TriageReason(TriageReasonCodes.HighRiskAlert,
                $"Unacknowledged high-risk alert ({Name(high.OrderBy(a => RiskCategories.Urgency(a.Category)).First().Category)}): contact the client now.",
                w.CriticalPriority + agePoints + extra, data));
        }
        else
        {
            other.Add(new TriageReason(TriageReasonCodes.RiskAlert,
                $"Unacknowledged risk alert ({Name(alerts.OrderBy(a => RiskCategories.Urgency(a.Category)).First().Category)}).",
                w.UnacknowledgedAlert + agePoints + extra, data));
        }
        var escalated = alerts.Count(a => a.Escalated);
        if (escalated > 0)
        {
            other.Add(new TriageReason(TriageReasonCodes.EscalatedAlert,
                "An alert was not acknowledged in time and has been escalated to supervisors.",
                w.EscalatedAlert, $"{escalated} escalated alert{(escalated == 1 ? "" : "s")}"));
        }
    }

    private static void Cssrs(ClientTriageInputs inputs, TriageWeights w, DateTimeOffset now, List<TriageReason> critical, List<TriageReason> other)
    {
        if (inputs.Cssrs is not { } c || !Recent(c.At, now, w.SafetyAnswerRelevanceDays)) return;
        var data = $"C-SSRS screener level {c.Level.ToString().ToLowerInvariant()} on {Date(c.At)}";
        switch (c.Level)
        {
            case CssrsLevel.High:
                critical.Add(new TriageReason(TriageReasonCodes.CssrsHigh, "C-SSRS screener high: immediate action.", w.CriticalPriority, data));
                break;
            case CssrsLevel.Moderate:
                other.Add(new TriageReason(TriageReasonCodes.CssrsModerate, "C-SSRS screener moderate: assess safety at the next contact.", w.CssrsModerate, data));
                break;
            case CssrsLevel.Low:
                other.Add(new TriageReason(TriageReasonCodes.CssrsLow, "C-SSRS screener low: wish to be dead or suicidal thoughts without method or intent.", w.CssrsLow, data));
                break;
        }
    }

    private static void Phq9Item9(ClientTriageInputs inputs, TriageWeights w, DateTimeOffset now, List<TriageReason> other)
    {
        if (inputs.Phq9Item9 is not { Answer: > 0 } item || !Recent(item.At, now, w.SafetyAnswerRelevanceDays)) return;
        other.Add(new TriageReason(TriageReasonCodes.Phq9Item9,
            "Thoughts of death or self-harm on PHQ-9 item 9: check safety, whatever the total.",
            w.Phq9Item9PerPoint * Math.Min(item.Answer, 3),
            $"PHQ-9 item 9 answered {item.Answer} on {Date(item.At)}"));
    }

    private static void KatoRule(ClientTriageInputs inputs, TriageWeights w, List<TriageReason> other)
    {
        if (inputs.Kato is not { } k) return;
        var severity = k.Severity is { } s ? $", {s.ToString().ToLowerInvariant()}" : "";
        var data = $"Kato 2020 status {Status(k.Status)}{severity}, recorded {Date(k.At)}";
        var severe = k.Severity == KatoSeverity.Severe ? w.KatoSevere : 0;
        switch (k.Status)
        {
            case Kato.KatoStatus.PreHikikomori:
                other.Add(new TriageReason(TriageReasonCodes.PreHikikomori,
                    "Pre-hikikomori (isolated 3 to under 6 months): marked for early consultation.", w.KatoPreHikikomori + severe, data));
                break;
            case Kato.KatoStatus.Hikikomori:
                other.Add(new TriageReason(TriageReasonCodes.Hikikomori,
                    "Meets the proposed hikikomori criteria (6 months or more).", w.KatoHikikomori + severe, data));
                break;
        }
        if (inputs.KatoPrevious is { } previous && previous.At < k.At && Progressed(previous, k))
        {
            var before = previous.Severity is { } ps ? $", {ps.ToString().ToLowerInvariant()}" : "";
            other.Add(new TriageReason(TriageReasonCodes.KatoProgression,
                "Isolation has progressed since the previous record (Kato 2020 status or severity): worsening, not only early.",
                w.KatoProgression,
                $"Kato 2020 status {Status(previous.Status)}{before} on {Date(previous.At)}, {Status(k.Status)}{severity} on {Date(k.At)}"));
        }
    }

    /// <summary>
    /// Kato 2020 stages in order: criteria not met, pre-hikikomori (3 to under 6 months), hikikomori (6 months or
    /// more); within hikikomori, mild (out 2-3 days a week) to moderate (1 day or less) to severe (rarely leaves one room).
    /// </summary>
    private static bool Progressed(KatoObservation previous, KatoObservation latest)
    {
        static int Stage(Kato.KatoStatus s) => s switch
        {
            Kato.KatoStatus.Hikikomori => 2,
            Kato.KatoStatus.PreHikikomori => 1,
            _ => 0,
        };
        var byStage = Stage(latest.Status).CompareTo(Stage(previous.Status));
        if (byStage != 0) return byStage > 0;
        return latest.Status == Kato.KatoStatus.Hikikomori
            && latest.Severity is { } now && previous.Severity is { } before && now > before;
    }

    private static void Engagement(ClientTriageInputs inputs, TriageWeights w, DateTimeOffset now, List<TriageReason> other)
    {
        FallingEngagement(inputs, w, other);

        if (inputs.NoShowStreak >= w.NoShowStreakMinimum)
        {
            other.Add(new TriageReason(TriageReasonCodes.NoShowStreak,
                $"Missed the last {inputs.NoShowStreak} sessions in a row.",
                w.NoShowPerMissedSession * Math.Min(inputs.NoShowStreak, w.NoShowStreakCap),
                $"no-show streak {inputs.NoShowStreak}"));
        }

        if (inputs.LastContactAt is { } last)
        {
            var days = Math.Floor((now - last).TotalDays);
            if (days > w.NoContactDaysThreshold)
            {
                other.Add(new TriageReason(TriageReasonCodes.NoRecentContact,
                    $"No contact for {days:0} days.",
                    Math.Min(w.NoContactCap, (days - w.NoContactDaysThreshold) * w.NoContactPerDay),
                    $"last contact {Date(last)}"));
            }
        }

        if (inputs.LastWeekNightShare is { } lastWeek && lastWeek >= w.NightShareThreshold
            && inputs.EarlierNightShare is { } earlier && earlier < w.NightShareThreshold)
        {
            other.Add(new TriageReason(TriageReasonCodes.NightShift,
                $"Shifted into the night: {Percent(lastWeek)} of the last 7 days' activity between 00:00 and 05:00, {Percent(earlier)} in the 3 weeks before (possible sleep-wake reversal).",
                w.NightShift,
                $"night-time share {Percent(lastWeek)} over the last 7 days, {Percent(earlier)} over the 21 days before"));
        }
        else if (inputs.RecentNightShare is { } night && night >= w.NightShareThreshold)
        {
            other.Add(new TriageReason(TriageReasonCodes.NightActivity,
                $"Active mostly at night: {Percent(night)} of activity between 00:00 and 05:00 (possible sleep-wake reversal).",
                w.NightActivity,
                $"night-time share {Percent(night)} over the last 28 days"));
        }
    }

    /// <summary>
    /// Writing less is a trend when the client writes less per attended session, or misses sessions in a row; fewer
    /// messages per week with neither is one missed or cancelled session after a stable record, and does not count.
    /// Without enough attended sessions to compare, the weekly fall is all there is to go on (a client gone silent).
    /// </summary>
    private static void FallingEngagement(ClientTriageInputs inputs, TriageWeights w, List<TriageReason> other)
    {
        double? weeklyFall = null;
        if (inputs.EngagementTrend is { RelativeChange: { } change } trend
            && change <= w.FallingEngagementThreshold
            && (trend.ClientMessagesPerWeek[0] + trend.ClientMessagesPerWeek[1]) / 2.0 >= w.FallingEngagementMinimumBaseline)
        {
            weeklyFall = -change;
        }
        double? perSessionFall = null;
        string? perSessionData = null;
        var comparable = inputs.SessionMessageCounts is { } counts && counts.Count >= w.RecentSessionsCompared + w.EarlierSessionsMinimum;
        if (comparable)
        {
            counts = inputs.SessionMessageCounts!;
            var earlier = counts.Take(counts.Count - w.RecentSessionsCompared).Average();
            var recent = counts.Skip(counts.Count - w.RecentSessionsCompared).Average();
            if (earlier >= w.FallingEngagementMinimumBaseline && (recent - earlier) / earlier <= w.FallingPerSessionThreshold)
            {
                perSessionFall = (earlier - recent) / earlier;
                perSessionData = $"client messages per attended session {string.Join(", ", counts)} (last {w.RecentSessionsCompared} against the {counts.Count - w.RecentSessionsCompared} before)";
            }
        }
        var corroborated = !comparable || perSessionFall is not null || inputs.NoShowStreak >= w.NoShowStreakMinimum;
        if (weeklyFall is not null && !corroborated) weeklyFall = null;
        if (weeklyFall is null && perSessionFall is null) return;

        var text = perSessionFall is { } ps
            ? $"Writing less: {Percent(ps)} fewer messages per session in the last {w.RecentSessionsCompared} sessions."
            : $"Writing less: messages fell by {Percent(weeklyFall!.Value)} over the last four weeks.";
        var data = string.Join("; ", new[]
        {
            weeklyFall is not null && inputs.EngagementTrend is { } t
                ? $"client messages per week {string.Join(", ", t.ClientMessagesPerWeek)} ({Date(t.From)} to {Date(t.To)})"
                : null,
            perSessionData,
        }.Where(x => x is not null));
        other.Add(new TriageReason(TriageReasonCodes.FallingEngagement, text,
            w.FallingEngagement * Math.Min(1, Math.Max(weeklyFall ?? 0, perSessionFall ?? 0)), data));
    }

    private static void RisingHq25(ClientTriageInputs inputs, TriageWeights w, DateTimeOffset now, List<TriageReason> other)
    {
        if (inputs.Hq25Previous is not { } previous || inputs.Hq25Latest is not { } latest) return;
        if (!Recent(latest.At, now, w.Hq25RelevanceDays) || latest.At <= previous.At) return;
        var rise = latest.Total - previous.Total;
        if (rise < w.RisingHq25MinimumIncrease) return;
        var cutoff = latest.Cutoff;
        var crossed = cutoff is { } c && previous.Total < c && latest.Total >= c;
        other.Add(new TriageReason(TriageReasonCodes.RisingHq25,
            crossed ? $"HQ-25 rose by {rise} and crossed the cut-off of {cutoff}." : $"HQ-25 rose by {rise}.",
            Math.Min(w.RisingHq25Cap, rise * w.RisingHq25PerPoint) + (crossed ? w.Hq25CrossedCutoff : 0),
            $"HQ-25 {previous.Total} on {Date(previous.At)}, {latest.Total} on {Date(latest.At)}"));
    }

    private static bool Recent(DateTimeOffset at, DateTimeOffset now, double days) => (now - at).TotalDays <= days;

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);

    private static string Age(TimeSpan age) => age.TotalMinutes < 90
        ? $"{Math.Max(0, Math.Floor(age.TotalMinutes)):0} min"
        : age.TotalHours < 48 ? $"{Math.Floor(age.TotalHours):0} h" : $"{Math.Floor(age.TotalDays):0} days";

    private static string Name(RiskCategory c) => c switch
    {
        RiskCategory.PlanOrMeans => "plan or means",
        RiskCategory.SelfHarm => "self-harm",
        RiskCategory.Suicide => "suicide",
        _ => "hopelessness",
    };

    private static string Status(Kato.KatoStatus s) => s switch
    {
        Kato.KatoStatus.PreHikikomori => "pre-hikikomori",
        Kato.KatoStatus.Hikikomori => "hikikomori",
        _ => "not met",
    };
}

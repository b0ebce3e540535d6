namespace HikiConsult.Domain.Triage;

/// <summary>
/// Weights of the triage rules (bind from configuration, e.g. section "EarlyConsultation:Triage"). Points add up to a
/// client's score; the queue is ordered by score. The defaults rank acute safety signals first, then clinical
/// screening signals, then engagement signals. They are configuration, not evidence: a clinic should review them.
/// </summary>
public sealed class TriageWeights
{
    /// <summary>
    /// Points for each critical signal: an unacknowledged high-risk alert (suicide or plan/means) or a C-SSRS
    /// screener level "high". Default 1000. All non-critical points together are capped just below this value, so a
    /// client with a critical signal always outranks every client without one.
    /// </summary>
    public double CriticalPriority { get; set; } = 1000;

    /// <summary>Points per hour an unacknowledged alert has waited (oldest alert), so older alerts rank higher. Default 10.</summary>
    public double AlertAgePointsPerHour { get; set; } = 10;

    /// <summary>Hours after which alert age stops adding points. Default 24.</summary>
    public double AlertAgeCapHours { get; set; } = 24;

    /// <summary>Points for unacknowledged alerts that are not high-risk (self-harm, hopelessness). Default 200.</summary>
    public double UnacknowledgedAlert { get; set; } = 200;

    /// <summary>Points for each further unacknowledged alert beyond the first. Default 25.</summary>
    public double AdditionalAlert { get; set; } = 25;

    /// <summary>Points for an escalated alert (not acknowledged in time), on top of the alert itself. Default 100.</summary>
    public double EscalatedAlert { get; set; } = 100;

    /// <summary>Points for a C-SSRS screener level "moderate". Default 250.</summary>
    public double CssrsModerate { get; set; } = 250;

    /// <summary>Points for a C-SSRS screener level "low". Default 80.</summary>
    public double CssrsLow { get; set; } = 80;

    /// <summary>Points per answer point of PHQ-9 item 9 (1-3), so 3 gives 3 × this. Default 80.</summary>
    public double Phq9Item9PerPoint { get; set; } = 80;

    /// <summary>Days a PHQ-9 or C-SSRS answer stays relevant for triage (both ask about the last weeks). Default 30.</summary>
    public double SafetyAnswerRelevanceDays { get; set; } = 30;

    /// <summary>Points for Kato status pre-hikikomori (marked for early consultation). Default 120.</summary>
    public double KatoPreHikikomori { get; set; } = 120;

    /// <summary>Points for Kato status hikikomori. Default 60.</summary>
    public double KatoHikikomori { get; set; } = 60;

    /// <summary>Extra points when the Kato severity is severe (rarely leaves one room). Default 30.</summary>
    public double KatoSevere { get; set; } = 30;

    /// <summary>
    /// Points when the Kato 2020 status moved on since the previous record: not met or pre-hikikomori to
    /// hikikomori, or a hikikomori severity that got worse (Kato, Kanba and Teo 2020: duration 3 to under 6 months is
    /// pre-hikikomori, 6 months or more hikikomori; severity by days out of the home). Default 200, so progression
    /// raises a client above where the earlier pre-hikikomori status put it.
    /// </summary>
    public double KatoProgression { get; set; } = 200;

    /// <summary>Relative change of weekly client messages (last two weeks vs first two of four) at or below which engagement counts as falling. Default -0.3.</summary>
    public double FallingEngagementThreshold { get; set; } = -0.3;

    /// <summary>Minimum mean weekly messages in the first two weeks for a fall to count (avoids noise on tiny numbers). Default 2.</summary>
    public double FallingEngagementMinimumBaseline { get; set; } = 2;

    /// <summary>Points for falling engagement at a 100% drop; scaled by the size of the drop. Default 150.</summary>
    public double FallingEngagement { get; set; } = 150;

    /// <summary>
    /// Relative change of client messages per attended session (mean of the last <see cref="RecentSessionsCompared"/>
    /// against the sessions before them) at or below which the client writes less when present. Default -0.3.
    /// A weekly fall with neither this nor a no-show streak is only missed or cancelled sessions and does not count.
    /// </summary>
    public double FallingPerSessionThreshold { get; set; } = -0.3;

    /// <summary>Latest attended sessions compared with the earlier ones. Default 2.</summary>
    public int RecentSessionsCompared { get; set; } = 2;

    /// <summary>Earlier attended sessions needed for a per-session comparison. Default 3.</summary>
    public int EarlierSessionsMinimum { get; set; } = 3;

    /// <summary>No-show streak length from which it counts. Default 2.</summary>
    public int NoShowStreakMinimum { get; set; } = 2;

    /// <summary>Points per no-show in a counted streak. Default 40.</summary>
    public double NoShowPerMissedSession { get; set; } = 40;

    /// <summary>Longest streak that still adds points. Default 5.</summary>
    public int NoShowStreakCap { get; set; } = 5;

    /// <summary>Days without contact before it counts. Default 7.</summary>
    public double NoContactDaysThreshold { get; set; } = 7;

    /// <summary>Points per day without contact beyond the threshold. Default 4.</summary>
    public double NoContactPerDay { get; set; } = 4;

    /// <summary>Most points for days without contact. Default 120.</summary>
    public double NoContactCap { get; set; } = 120;

    /// <summary>HQ-25 increase between the last two administrations from which it counts. Default 5.</summary>
    public int RisingHq25MinimumIncrease { get; set; } = 5;

    /// <summary>Points per HQ-25 point of increase. Default 5.</summary>
    public double RisingHq25PerPoint { get; set; } = 5;

    /// <summary>Most points for a rising HQ-25. Default 150.</summary>
    public double RisingHq25Cap { get; set; } = 150;

    /// <summary>Extra points when the rise crosses the cut-off (previous below, latest at or above). Default 50.</summary>
    public double Hq25CrossedCutoff { get; set; } = 50;

    /// <summary>Days an HQ-25 rise stays relevant. Default 180 (the HQ-25 covers six months).</summary>
    public double Hq25RelevanceDays { get; set; } = 180;

    /// <summary>Share of activity between 00:00 and 05:00 (last 28 days) from which night-time activity counts. Default 0.3.</summary>
    public double NightShareThreshold { get; set; } = 0.3;

    /// <summary>Points for night-time activity above the threshold (sleep-wake reversal). Default 60.</summary>
    public double NightActivity { get; set; } = 60;

    /// <summary>Points for a shift into the night: the last 7 days' night share at or above the threshold while the
    /// 21 days before were below it (a change, unlike a steady night owl). Default 120.</summary>
    public double NightShift { get; set; } = 120;

    /// <summary>Every numeric setting with a getter bound once: validation runs on each score, so no reflection per call.</summary>
    private static readonly (string Name, Func<TriageWeights, double> Read)[] Settings = [.. typeof(TriageWeights).GetProperties()
        .Select(p => (p.Name, p.PropertyType == typeof(int)
            ? Widen(p.GetMethod!.CreateDelegate<Func<TriageWeights, int>>())
            : p.GetMethod!.CreateDelegate<Func<TriageWeights, double>>()))];

    private static Func<TriageWeights, double> Widen(Func<TriageWeights, int> read) => w => read(w);

    public IReadOnlyList<string> Validate()
    {
        List<string>? problems = null;
        foreach (var (name, read) in Settings)
        {
            var value = read(this);
            if (name is nameof(FallingEngagementThreshold) or nameof(FallingPerSessionThreshold))
            {
                if (value is >= 0 or < -1) (problems ??= []).Add($"{name} must be between -1 and 0 (got {value})");
            }
            else if (double.IsNaN(value) || value < 0)
            {
                (problems ??= []).Add($"{name} must be 0 or more (got {value})");
            }
        }
        if (CriticalPriority < 1) (problems ??= []).Add($"{nameof(CriticalPriority)} must be at least 1");
        if (RecentSessionsCompared < 1) (problems ??= []).Add($"{nameof(RecentSessionsCompared)} must be at least 1");
        if (EarlierSessionsMinimum < 1) (problems ??= []).Add($"{nameof(EarlierSessionsMinimum)} must be at least 1");
        return problems ?? (IReadOnlyList<string>)[];
    }
}

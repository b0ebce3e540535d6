namespace HikiConsult.Cohort.Generation;

/// <summary>
/// The numbers of the synthetic model: how sessions, self-reports and isolation records of each trajectory look,
/// and how each warning sign or confounder shows in them (docs/early-consultation.md, "The synthetic cohort").
/// Unless a source is named, a number is a choice of this model, made so that each sign shows within a few weeks
/// and each confounder resembles a sign; it is not a clinical finding. Changing one changes the cohort a seed gives.
/// </summary>
public sealed record CohortModel
{
    public SessionModel Sessions { get; init; } = new();

    public SelfReportModel SelfReports { get; init; } = new();

    public IsolationRecordModel IsolationRecords { get; init; } = new();
}

/// <summary>When sessions are, how much the client writes in them, and how often they are missed.</summary>
public sealed record SessionModel
{
    /// <summary>Local hour of a client's usual sessions, fixed per client: daytime, outside 00:00-05:00, the window the server counts as night-time activity (docs/early-consultation.md).</summary>
    public IntRange UsualHour { get; init; } = new(10, 19);

    /// <summary>Local hour of a night owl's sessions, fixed per client: always inside the night window.</summary>
    public IntRange NightOwlHour { get; init; } = new(1, 2);

    /// <summary>Local hour of a drifting client's night sessions, drawn per session: inside the night window.</summary>
    public IntRange NightDriftHour { get; init; } = new(1, 3);

    /// <summary>Night-time drift: chance that a session in the onset week is at night (half of them, so the shift shows at once).</summary>
    public double NightDriftOnsetWeekChance { get; init; } = 0.5;

    /// <summary>Night-time drift: added to that chance each week after the onset (up to every session within two weeks).</summary>
    public double NightDriftWeeklyIncrease { get; init; } = 0.25;

    /// <summary>Client messages per attended session, fixed per improving client: they start quieter than the others.</summary>
    public IntRange ImprovingClientMessages { get; init; } = new(2, 4);

    /// <summary>Client messages per attended session, fixed per client that is not improving.</summary>
    public IntRange UsualClientMessages { get; init; } = new(4, 8);

    /// <summary>Improving clients write one message more each week, up to this (the top of the usual count).</summary>
    public int ImprovingClientMessagesCap { get; init; } = 8;

    /// <summary>Session-to-session variation of the usual count, so that one quiet session is not a fall.</summary>
    public IntRange UsualClientMessagesJitter { get; init; } = new(-1, 1);

    /// <summary>The fewest client messages of a session that varies around the usual count.</summary>
    public int UsualClientMessagesFloor { get; init; } = 2;

    /// <summary>Falling engagement: the usual count times this in the onset week, and again each week after (about half a week).</summary>
    public double FallingEngagementWeeklyFactor { get; init; } = 0.55;

    /// <summary>Falling engagement: the fewest client messages of an attended session (the client still writes).</summary>
    public int FallingEngagementFloor { get; init; } = 1;

    /// <summary>Deteriorating clients without a no-show streak miss sessions this many times as often from their onset.</summary>
    public double MissedAfterOnsetFactor { get; init; } = 1.5;

    /// <summary>Improving clients miss sessions this many times as often as stable ones.</summary>
    public double MissedWhenImprovingFactor { get; init; } = 0.5;

    /// <summary>Early no-shows: the improving client misses this many of its first sessions.</summary>
    public int EarlyNoShows { get; init; } = 2;

    /// <summary>No-show streak: sessions missed in a row, starting at one of the first sessions from the onset week.</summary>
    public IntRange NoShowStreakLength { get; init; } = new(3, 5);

    /// <summary>No-show streak: chance of attending each session after the streak (the client does not vanish).</summary>
    public double AttendanceAfterStreak { get; init; } = 0.6;

    /// <summary>Risk message: weeks after the onset from which the first attended session carries it.</summary>
    public IntRange RiskMessageWeeksAfterOnset { get; init; } = new(0, 1);

    /// <summary>Risk message: the level of the C-SSRS screener the counselor completes after it (low 35%, moderate 45%, high 20%).</summary>
    public ScreenerLevelCutoffs ScreenerLevels { get; init; } = new(0.35, 0.8);
}

/// <summary>The client's PHQ-9 and HQ-25 self-reports from its app.</summary>
public sealed record SelfReportModel
{
    /// <summary>Local hour, on Mondays, of the self-reports: the evening, after the day's sessions.</summary>
    public int Hour { get; init; } = 20;

    public int Phq9EveryWeeks { get; init; } = 2;

    public int Hq25EveryWeeks { get; init; } = 3;

    /// <summary>PHQ-9 items 1-8 at intake, improving clients: the moderate band or just above (bands in phq9.json, Kroenke et al. 2001).</summary>
    public IntRange ImprovingPhq9Start { get; init; } = new(12, 16);

    /// <summary>PHQ-9 items 1-8 at intake, other clients: mild to moderate.</summary>
    public IntRange OtherPhq9Start { get; init; } = new(6, 12);

    /// <summary>PHQ-9 fall per administration of an improving client, down to <see cref="ImprovingPhq9Floor"/>.</summary>
    public IntRange ImprovingPhq9Fall { get; init; } = new(2, 3);

    public int ImprovingPhq9Floor { get; init; } = 2;

    /// <summary>PHQ-9 rise per administration of a deteriorating client from its onset (about a band every two).</summary>
    public IntRange DeterioratingPhq9Rise { get; init; } = new(2, 3);

    /// <summary>PHQ-9 variation around the intake total of a client that neither improves nor has reached its onset.</summary>
    public IntRange StablePhq9Jitter { get; init; } = new(-2, 2);

    /// <summary>HQ-25 at intake, improving clients: above the cut-off 42 (Teo et al. 2018), so that the fall crosses it.</summary>
    public IntRange ImprovingHq25Start { get; init; } = new(48, 62);

    /// <summary>HQ-25 at intake, stable pre-hikikomori clients: on both sides of the cut-off 42.</summary>
    public IntRange PreHikikomoriHq25Start { get; init; } = new(36, 46);

    /// <summary>HQ-25 at intake, clients with a Kato progression: mostly below the cut-off 42, as in pre-hikikomori.</summary>
    public IntRange KatoProgressionHq25Start { get; init; } = new(36, 44);

    /// <summary>HQ-25 at intake, other clients: around and above the cut-off 42.</summary>
    public IntRange OtherHq25Start { get; init; } = new(44, 56);

    /// <summary>HQ-25 fall per administration of an improving client, down to <see cref="ImprovingHq25Floor"/>.</summary>
    public IntRange ImprovingHq25Fall { get; init; } = new(5, 9);

    public int ImprovingHq25Floor { get; init; } = 10;

    /// <summary>Rising HQ-25: rise per administration from the onset, up to <see cref="RisingHq25Cap"/> (well above the noise of ±3).</summary>
    public IntRange RisingHq25Rise { get; init; } = new(6, 12);

    public int RisingHq25Cap { get; init; } = 95;

    /// <summary>HQ-25 variation around the intake total of a client without a rising HQ-25.</summary>
    public IntRange StableHq25Jitter { get; init; } = new(-3, 3);
}

/// <summary>The counselor's isolation records: the inputs of the Kato, Kanba &amp; Teo 2020 criteria.</summary>
public sealed record IsolationRecordModel
{
    /// <summary>Local hour of the record: the counselor's working morning.</summary>
    public int Hour { get; init; } = 11;

    public int EveryWeeks { get; init; } = 4;

    /// <summary>Day of the week of the record (0 = Monday): the day after the self-reports.</summary>
    public int Weekday { get; init; } = 1;

    /// <summary>Kato progression: months isolated at the first record, under the 6 of the criteria, so that the next record crosses them.</summary>
    public MonthsRange KatoProgressionMonths { get; init; } = new(5.2, 5.5);

    /// <summary>Kato progression: days out of the home a week before the onset (2-3 days: mild, Kato, Kanba &amp; Teo 2020).</summary>
    public int KatoProgressionDaysOut { get; init; } = 2;

    /// <summary>Stable pre-hikikomori: months isolated at the first record, 3 to under 6 (Kato, Kanba &amp; Teo 2020) for the default eight weeks.</summary>
    public MonthsRange PreHikikomoriMonths { get; init; } = new(3.2, 4.0);

    /// <summary>Stable pre-hikikomori: days out of the home a week (under 4, so the criteria other than duration are met).</summary>
    public IntRange PreHikikomoriDaysOut { get; init; } = new(2, 3);

    /// <summary>Improving clients: whole months isolated at intake, 6 or more (hikikomori, Kato, Kanba &amp; Teo 2020).</summary>
    public IntRange ImprovingMonths { get; init; } = new(7, 30);

    /// <summary>Other clients: whole months isolated at intake, 6 or more.</summary>
    public IntRange OtherMonths { get; init; } = new(8, 48);

    /// <summary>Improving clients: days out of the home at intake (1 day a week or less: moderate).</summary>
    public int ImprovingDaysOut { get; init; } = 1;

    /// <summary>Other clients: days out of the home a week (under 4: every severity of hikikomori).</summary>
    public IntRange OtherDaysOut { get; init; } = new(0, 3);

    /// <summary>Improving clients: days out at the second record, one more at each record after, up to 7 (4 or more: criteria not met).</summary>
    public int ImprovingDaysOutAtSecondRecord { get; init; } = 4;

    /// <summary>Chance that the record notes distress; impairment is always recorded (it is essential, distress may be absent: Kato, Kanba &amp; Teo 2020).</summary>
    public double DistressChance { get; init; } = 0.7;
}

/// <summary>Whole numbers from <see cref="Min"/> to <see cref="Max"/>, both included, drawn evenly.</summary>
public sealed record IntRange(int Min, int Max)
{
    public int Draw(Random rng) => Min + rng.Next(Max - Min + 1);
}

/// <summary>Months from <see cref="Min"/> to <see cref="Max"/> in tenths, as the isolation records keep them, drawn evenly.</summary>
public sealed record MonthsRange(double Min, double Max)
{
    public double Draw(Random rng) => Min + (rng.Next((int)Math.Round((Max - Min) * 10) + 1) / 10.0);
}

/// <summary>A uniform roll below <see cref="Low"/> gives a low screener, below <see cref="Moderate"/> a moderate one, else high.</summary>
public sealed record ScreenerLevelCutoffs(double Low, double Moderate);

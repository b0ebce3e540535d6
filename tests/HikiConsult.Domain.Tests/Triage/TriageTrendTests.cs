using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Triage;

namespace HikiConsult.Domain.Tests.Triage;

/// <summary>Trends (progression, writing less, a shift into the night) weigh more than one-off events after a stable record.</summary>
public sealed class TriageTrendTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TriageWeights Defaults = new();

    private static TriageResult Score(ClientTriageInputs inputs) => TriageScorer.Score(inputs, Defaults, Now);

    [Fact]
    public void Progression_from_pre_hikikomori_to_hikikomori_raises_priority()
    {
        var before = Score(new ClientTriageInputs
        {
            ClientId = "c",
            Kato = new KatoObservation(KatoStatus.PreHikikomori, KatoSeverity.Mild, Now.AddDays(-30)),
        });
        var after = Score(new ClientTriageInputs
        {
            ClientId = "c",
            KatoPrevious = new KatoObservation(KatoStatus.PreHikikomori, KatoSeverity.Mild, Now.AddDays(-30)),
            Kato = new KatoObservation(KatoStatus.Hikikomori, KatoSeverity.Severe, Now.AddDays(-1)),
        });
        var stableHikikomori = Score(new ClientTriageInputs
        {
            ClientId = "s",
            KatoPrevious = new KatoObservation(KatoStatus.Hikikomori, KatoSeverity.Severe, Now.AddDays(-30)),
            Kato = new KatoObservation(KatoStatus.Hikikomori, KatoSeverity.Severe, Now.AddDays(-1)),
        });

        Assert.True(after.Score > before.Score, $"{after.Score} should exceed {before.Score}");
        Assert.Contains(after.Reasons, r => r.Code == TriageReasonCodes.KatoProgression);
        Assert.DoesNotContain(stableHikikomori.Reasons, r => r.Code == TriageReasonCodes.KatoProgression);
        Assert.True(after.Score > stableHikikomori.Score);
    }

    [Fact]
    public void Worse_severity_within_hikikomori_is_progression_and_improvement_is_not()
    {
        var worse = Score(new ClientTriageInputs
        {
            ClientId = "c",
            KatoPrevious = new KatoObservation(KatoStatus.Hikikomori, KatoSeverity.Mild, Now.AddDays(-30)),
            Kato = new KatoObservation(KatoStatus.Hikikomori, KatoSeverity.Moderate, Now.AddDays(-1)),
        });
        var better = Score(new ClientTriageInputs
        {
            ClientId = "c",
            KatoPrevious = new KatoObservation(KatoStatus.Hikikomori, KatoSeverity.Mild, Now.AddDays(-30)),
            Kato = new KatoObservation(KatoStatus.NotMet, null, Now.AddDays(-1)),
        });

        Assert.Contains(worse.Reasons, r => r.Code == TriageReasonCodes.KatoProgression);
        Assert.Empty(better.Reasons);
    }

    [Fact]
    public void The_progression_is_read_from_the_kato_history()
    {
        var state = new EngagementEvent[]
        {
            new KatoStatusRecorded(KatoStatus.PreHikikomori, KatoSeverity.Mild, Now.AddDays(-28)),
            new KatoStatusRecorded(KatoStatus.Hikikomori, KatoSeverity.Severe, Now.AddDays(-1)),
        }.Aggregate(EngagementState.Create("Europe/Amsterdam"), (s, e) => s.Apply(e));

        var inputs = new ClientTriageInputs { ClientId = "c" }.WithEngagement(state, Now);

        Assert.Equal(KatoStatus.PreHikikomori, inputs.KatoPrevious!.Status);
        Assert.Contains(Score(inputs).Reasons, r => r.Code == TriageReasonCodes.KatoProgression);
    }

    private static WeeklyTrend Weeks(params int[] weeks) => new(new DateOnly(2026, 10, 29), new DateOnly(2026, 11, 25), weeks, 0,
        (weeks[2] + weeks[3] - weeks[0] - weeks[1]) / (double)(weeks[0] + weeks[1]));

    [Fact]
    public void A_weekly_fall_from_one_missed_session_after_a_stable_record_does_not_count()
    {
        // Six messages in every attended session; the fall per week is only the sessions that did not happen.
        var oneMissed = Score(new ClientTriageInputs
        {
            ClientId = "c",
            EngagementTrend = Weeks(12, 12, 6, 6),
            SessionMessageCounts = [6, 6, 6, 6, 6, 6],
            NoShowStreak = 1,
        });

        Assert.DoesNotContain(oneMissed.Reasons, r => r.Code == TriageReasonCodes.FallingEngagement);
    }

    [Fact]
    public void A_weekly_fall_counts_when_too_few_sessions_can_be_compared()
    {
        // One session of six messages, then silence with nothing scheduled: no per-session trend can be read.
        var silent = Score(new ClientTriageInputs { ClientId = "c", EngagementTrend = Weeks(0, 6, 0, 0), SessionMessageCounts = [6] });

        Assert.Equal(Defaults.FallingEngagement, Assert.Single(silent.Reasons, r => r.Code == TriageReasonCodes.FallingEngagement).Weight);
    }

    [Fact]
    public void Writing_less_per_session_counts_before_the_weekly_window_shows_it()
    {
        var r = Score(new ClientTriageInputs
        {
            ClientId = "c",
            EngagementTrend = Weeks(12, 12, 12, 7),
            SessionMessageCounts = [6, 6, 7, 6, 3, 3],
        });

        var reason = Assert.Single(r.Reasons);
        Assert.Equal(TriageReasonCodes.FallingEngagement, reason.Code);
        Assert.Equal(Defaults.FallingEngagement * (6.25 - 3) / 6.25, reason.Weight, 6);
        Assert.Contains("per attended session 6, 6, 7, 6, 3, 3", reason.Data);
    }

    [Fact]
    public void A_streak_corroborates_a_weekly_fall_and_outweighs_a_single_missed_session()
    {
        var streak = Score(new ClientTriageInputs
        {
            ClientId = "streak",
            EngagementTrend = Weeks(12, 12, 6, 0),
            SessionMessageCounts = [6, 6, 6, 6, 6, 6],
            NoShowStreak = 3,
        });
        var single = Score(new ClientTriageInputs
        {
            ClientId = "single",
            EngagementTrend = Weeks(12, 12, 6, 6),
            SessionMessageCounts = [6, 6, 6, 6, 6, 6],
            NoShowStreak = 1,
        });

        Assert.Contains(streak.Reasons, r => r.Code == TriageReasonCodes.FallingEngagement);
        Assert.True(streak.Score > single.Score + Defaults.NoShowPerMissedSession);
    }

    [Fact]
    public void A_shift_into_the_night_weighs_more_than_a_steady_night_owl()
    {
        var shift = Score(new ClientTriageInputs { ClientId = "s", RecentNightShare = 0.2, LastWeekNightShare = 0.5, EarlierNightShare = 0.05 });
        var owl = Score(new ClientTriageInputs { ClientId = "o", RecentNightShare = 0.9, LastWeekNightShare = 0.9, EarlierNightShare = 0.9 });

        Assert.Equal(TriageReasonCodes.NightShift, Assert.Single(shift.Reasons).Code);
        Assert.Equal(TriageReasonCodes.NightActivity, Assert.Single(owl.Reasons).Code);
        Assert.True(shift.Score > owl.Score);
    }
}

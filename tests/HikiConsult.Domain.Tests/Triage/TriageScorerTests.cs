using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Risk;
using HikiConsult.Domain.Triage;

namespace HikiConsult.Domain.Tests.Triage;

public sealed class TriageScorerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TriageWeights Defaults = new();

    private static TriageResult Score(ClientTriageInputs inputs, TriageWeights? weights = null) =>
        TriageScorer.Score(inputs, weights ?? Defaults, Now);

    /// <summary>A client with every non-critical signal at its strongest.</summary>
    private static ClientTriageInputs EverythingButCritical(string id) => new()
    {
        ClientId = id,
        UnacknowledgedAlerts =
        [
            new OpenRiskAlert("a1", RiskCategory.Hopelessness, Now.AddDays(-2), Escalated: true),
            new OpenRiskAlert("a2", RiskCategory.SelfHarm, Now.AddDays(-1), Escalated: true),
        ],
        Phq9Item9 = new ItemAnswerObservation(3, Now.AddDays(-1)),
        Cssrs = new CssrsObservation(CssrsLevel.Moderate, Now.AddDays(-1)),
        Kato = new KatoObservation(KatoStatus.PreHikikomori, KatoSeverity.Severe, Now.AddDays(-3)),
        EngagementTrend = new WeeklyTrend(new DateOnly(2026, 10, 29), new DateOnly(2026, 11, 25), [40, 40, 0, 0], -16, -1),
        NoShowStreak = 12,
        LastContactAt = Now.AddDays(-90),
        Hq25Previous = new ScoreObservation(20, 42, Now.AddDays(-60)),
        Hq25Latest = new ScoreObservation(80, 42, Now.AddDays(-1)),
        RecentNightShare = 0.9,
    };

    [Fact]
    public void An_unacknowledged_high_risk_alert_outranks_every_other_combination()
    {
        var alert = Score(new ClientTriageInputs
        {
            ClientId = "alert",
            UnacknowledgedAlerts = [new OpenRiskAlert("a", RiskCategory.Suicide, Now)],
        });
        var everythingElse = Score(EverythingButCritical("other"));

        Assert.True(alert.Critical);
        Assert.False(everythingElse.Critical);
        Assert.True(alert.Score > everythingElse.Score, $"{alert.Score} should exceed {everythingElse.Score}");
        Assert.Equal(everythingElse.Reasons.Count, everythingElse.Reasons.Select(r => r.Code).Distinct().Count());
        Assert.True(everythingElse.Reasons.Sum(r => r.Weight) > Defaults.CriticalPriority, "the cap must be doing the work here");
    }

    [Fact]
    public void A_cssrs_high_outranks_every_other_combination_even_with_heavier_custom_weights()
    {
        var weights = new TriageWeights { NoShowPerMissedSession = 5000, Phq9Item9PerPoint = 5000 };

        var cssrs = Score(new ClientTriageInputs { ClientId = "c", Cssrs = new CssrsObservation(CssrsLevel.High, Now.AddDays(-2)) }, weights);
        var other = Score(EverythingButCritical("o"), weights);

        Assert.True(cssrs.Score > other.Score);
        Assert.Equal(TriageReasonCodes.CssrsHigh, Assert.Single(cssrs.Reasons).Code);
    }

    [Fact]
    public void A_client_with_an_open_alert_outranks_a_client_with_only_a_no_show_streak()
    {
        var alert = Score(new ClientTriageInputs { ClientId = "a", UnacknowledgedAlerts = [new OpenRiskAlert("x", RiskCategory.Hopelessness, Now.AddMinutes(-3))] });
        var noShows = Score(new ClientTriageInputs { ClientId = "n", NoShowStreak = 4 });

        var ranked = TriageScorer.Rank([noShows, alert]);

        Assert.Equal(["a", "n"], ranked.Select(r => r.ClientId));
        var reason = Assert.Single(noShows.Reasons);
        Assert.Equal((TriageReasonCodes.NoShowStreak, "no-show streak 4", 160.0), (reason.Code, reason.Data, reason.Weight));
    }

    [Fact]
    public void Among_critical_clients_the_older_alert_comes_first()
    {
        var older = Score(new ClientTriageInputs { ClientId = "old", UnacknowledgedAlerts = [new OpenRiskAlert("x", RiskCategory.PlanOrMeans, Now.AddHours(-3))] });
        var newer = Score(new ClientTriageInputs { ClientId = "new", UnacknowledgedAlerts = [new OpenRiskAlert("y", RiskCategory.PlanOrMeans, Now.AddMinutes(-1))] });

        Assert.Equal(["old", "new"], TriageScorer.Rank([newer, older]).Select(r => r.ClientId));
        Assert.Contains("oldest raised 2026-11-25 09:00 UTC, 3 h ago", older.Reasons[0].Data);
        Assert.Contains("plan or means ×1", older.Reasons[0].Data);
    }

    [Fact]
    public void Reasons_state_the_data_behind_them()
    {
        var r = Score(new ClientTriageInputs
        {
            ClientId = "c",
            Phq9Item9 = new ItemAnswerObservation(2, new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)),
            Kato = new KatoObservation(KatoStatus.PreHikikomori, KatoSeverity.Mild, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)),
            LastContactAt = Now.AddDays(-10),
            Hq25Previous = new ScoreObservation(38, 42, new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero)),
            Hq25Latest = new ScoreObservation(46, 42, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)),
        });

        Assert.Equal(
        [
            (TriageReasonCodes.Phq9Item9, "PHQ-9 item 9 answered 2 on 2026-11-20", 160.0),
            (TriageReasonCodes.PreHikikomori, "Kato 2020 status pre-hikikomori, mild, recorded 2026-11-01", 120.0),
            (TriageReasonCodes.RisingHq25, "HQ-25 38 on 2026-08-01, 46 on 2026-11-01", 90.0),
            (TriageReasonCodes.NoRecentContact, "last contact 2026-11-15", 12.0),
        ], r.Reasons.Select(x => (x.Code, x.Data, x.Weight)));
        Assert.Contains("crossed the cut-off of 42", r.Reasons[2].Text);
        Assert.True(r.EarlyConsultation);
        Assert.Equal(382, r.Score);
        Assert.Equal(DecisionSupport.Label, r.Label);
        Assert.Equal(TriageScorer.Source, r.Source);
    }

    [Fact]
    public void Falling_engagement_counts_only_beyond_the_threshold_and_baseline()
    {
        ClientTriageInputs With(params int[] weeks) => new()
        {
            ClientId = "c",
            EngagementTrend = new WeeklyTrend(new DateOnly(2026, 10, 29), new DateOnly(2026, 11, 25), weeks, 0,
                (weeks[2] + weeks[3] - weeks[0] - weeks[1]) / (double)(weeks[0] + weeks[1])),
        };

        var falling = Score(With(10, 10, 3, 3));
        Assert.Equal(TriageReasonCodes.FallingEngagement, Assert.Single(falling.Reasons).Code);
        Assert.Equal(105, falling.Score, 6);
        Assert.Equal("client messages per week 10, 10, 3, 3 (2026-10-29 to 2026-11-25)", falling.Reasons[0].Data);
        Assert.Empty(Score(With(10, 10, 8, 8)).Reasons);   // -20%: above the -30% threshold
        Assert.Empty(Score(With(1, 1, 0, 0)).Reasons);     // baseline of one message a week: too small to read
    }

    [Fact]
    public void Contact_no_shows_and_night_activity_have_thresholds()
    {
        Assert.Empty(Score(new ClientTriageInputs { ClientId = "c", LastContactAt = Now.AddDays(-7), NoShowStreak = 1, RecentNightShare = 0.29 }).Reasons);

        var r = Score(new ClientTriageInputs { ClientId = "c", LastContactAt = Now.AddDays(-200), NoShowStreak = 9, RecentNightShare = 0.5 });

        Assert.Equal(
            [(TriageReasonCodes.NoShowStreak, 200.0), (TriageReasonCodes.NoRecentContact, 120.0), (TriageReasonCodes.NightActivity, 60.0)],
            r.Reasons.Select(x => (x.Code, x.Weight)));
        Assert.Contains("50%", r.Reasons[2].Text);
    }

    [Fact]
    public void Old_safety_answers_and_small_or_stale_hq25_changes_are_ignored()
    {
        var r = Score(new ClientTriageInputs
        {
            ClientId = "c",
            Phq9Item9 = new ItemAnswerObservation(3, Now.AddDays(-31)),
            Cssrs = new CssrsObservation(CssrsLevel.High, Now.AddDays(-31)),
            Hq25Previous = new ScoreObservation(40, 42, Now.AddDays(-400)),
            Hq25Latest = new ScoreObservation(60, 42, Now.AddDays(-200)),
        });
        var small = Score(new ClientTriageInputs
        {
            ClientId = "c",
            Hq25Previous = new ScoreObservation(40, 42, Now.AddDays(-20)),
            Hq25Latest = new ScoreObservation(44, 42, Now.AddDays(-1)),
            Phq9Item9 = new ItemAnswerObservation(0, Now),
        });

        Assert.Empty(r.Reasons);
        Assert.Empty(small.Reasons);
        Assert.Equal(0, small.Score);
        Assert.False(small.Critical);
    }

    [Fact]
    public void Cssrs_moderate_and_low_and_kato_hikikomori_add_their_weights()
    {
        Assert.Equal(250, Score(new ClientTriageInputs { ClientId = "c", Cssrs = new CssrsObservation(CssrsLevel.Moderate, Now) }).Score);
        Assert.Equal(80, Score(new ClientTriageInputs { ClientId = "c", Cssrs = new CssrsObservation(CssrsLevel.Low, Now) }).Score);
        Assert.Equal(0, Score(new ClientTriageInputs { ClientId = "c", Cssrs = new CssrsObservation(CssrsLevel.None, Now) }).Score);
        Assert.Equal(90, Score(new ClientTriageInputs { ClientId = "c", Kato = new KatoObservation(KatoStatus.Hikikomori, KatoSeverity.Severe, Now) }).Score);
        Assert.Equal(0, Score(new ClientTriageInputs { ClientId = "c", Kato = new KatoObservation(KatoStatus.NotMet, null, Now) }).Score);
    }

    [Fact]
    public void Inputs_can_be_gathered_from_the_analytics_state_and_scored_assessments()
    {
        var catalog = InstrumentCatalog.LoadShipped();
        var phq9 = catalog.Score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 2]);
        var cssrs = catalog.Score("cssrs-screener", [1, 1, 1, 1, 0, 0]);
        var state = new EngagementEvent[]
        {
            new SessionNoShow("s1", Now.AddDays(-14)),
            new SessionNoShow("s2", Now.AddDays(-7)),
            new ClientMessageSent(null, Now.AddDays(-20)),
            new AssessmentScored("hq25", 30, "belowCutoff", 42, Now.AddDays(-60)),
            new AssessmentScored("hq25", 45, "atOrAboveCutoff", 42, Now.AddDays(-2)),
            new KatoStatusRecorded(KatoStatus.PreHikikomori, KatoSeverity.Moderate, Now.AddDays(-5)),
        }.Aggregate(EngagementState.Create("Asia/Tokyo"), (s, e) => s.Apply(e));

        var inputs = new ClientTriageInputs { ClientId = "c" }
            .WithEngagement(state, Now)
            .WithAssessment(phq9, Now.AddDays(-1))
            .WithAssessment(cssrs, Now.AddHours(-1));
        var r = Score(inputs);

        Assert.Equal(2, inputs.NoShowStreak);
        Assert.Equal(2, inputs.Phq9Item9!.Answer);
        Assert.Equal(CssrsLevel.High, inputs.Cssrs!.Level);
        Assert.True(r.Critical);
        Assert.Equal(
            [TriageReasonCodes.CssrsHigh, TriageReasonCodes.Phq9Item9, TriageReasonCodes.RisingHq25, TriageReasonCodes.PreHikikomori, TriageReasonCodes.NoShowStreak, TriageReasonCodes.NoRecentContact],
            r.Reasons.Select(x => x.Code));
    }

    [Fact]
    public void A_client_with_nothing_to_report_scores_zero()
    {
        var r = Score(new ClientTriageInputs { ClientId = "quiet" });

        Assert.Equal(0, r.Score);
        Assert.Empty(r.Reasons);
        Assert.False(r.EarlyConsultation);
    }

    [Fact]
    public void Invalid_weights_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Score(new ClientTriageInputs { ClientId = "c" }, new TriageWeights { NoShowPerMissedSession = -1 }));
        Assert.Throws<ArgumentException>(() => Score(new ClientTriageInputs { ClientId = "c" }, new TriageWeights { FallingEngagementThreshold = 0.2 }));
        Assert.Empty(new TriageWeights().Validate());
    }
}

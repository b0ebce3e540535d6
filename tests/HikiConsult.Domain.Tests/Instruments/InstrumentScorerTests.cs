using System.Text.Json;
using HikiConsult.Domain.Instruments;

namespace HikiConsult.Domain.Tests.Instruments;

public sealed class InstrumentScorerTests
{
    private static readonly InstrumentCatalog Catalog = InstrumentCatalog.LoadShipped();
    private static readonly int[] Hq25Reverse = [4, 7, 10, 15, 21, 25];

    private static AssessmentResult Score(string id, IReadOnlyList<int?> answers, ScoringOptions? options = null) =>
        InstrumentScorer.Score(Catalog.Get(id), answers, options);

    private static int?[] Answers(params int?[] values) => values;

    private static int?[] Repeat(int count, int value) => Enumerable.Repeat<int?>(value, count).ToArray();

    /// <summary>Answers whose item scores add up to <paramref name="total"/>, filling items from the first.</summary>
    private static int?[] WithTotal(int items, int max, int total, int lastScoredItem = int.MaxValue)
    {
        var answers = new int?[items];
        var left = total;
        for (var i = 0; i < items; i++)
        {
            var take = i + 1 <= lastScoredItem ? Math.Min(max, left) : 0;
            answers[i] = take;
            left -= take;
        }
        Assert.Equal(0, left);
        return answers;
    }

    /// <summary>HQ-25 answers with the given total: reverse items answered 4 (score 0), the rest filled in order.</summary>
    private static int?[] Hq25WithTotal(int total)
    {
        var answers = new int?[25];
        var left = total;
        for (var n = 1; n <= 25; n++)
        {
            if (Hq25Reverse.Contains(n))
            {
                answers[n - 1] = 4;
                continue;
            }
            var take = Math.Min(4, left);
            answers[n - 1] = take;
            left -= take;
        }
        Assert.Equal(0, left);
        return answers;
    }

    // ---------------- HQ-25 ----------------

    [Fact]
    public void Hq25_minimum_is_0_with_reverse_items_answered_4_and_the_rest_0()
    {
        var answers = Enumerable.Range(1, 25).Select(n => (int?)(Hq25Reverse.Contains(n) ? 4 : 0)).ToArray();

        var r = Score(InstrumentIds.Hq25, answers);

        Assert.Equal(0, r.Total);
        Assert.All(r.Subscales.Values, v => Assert.Equal(0, v));
        Assert.Equal("belowCutoff", r.Band);
    }

    [Fact]
    public void Hq25_maximum_is_100_with_reverse_items_answered_0_and_the_rest_4()
    {
        var answers = Enumerable.Range(1, 25).Select(n => (int?)(Hq25Reverse.Contains(n) ? 0 : 4)).ToArray();

        var r = Score(InstrumentIds.Hq25, answers);

        Assert.Equal(100, r.Total);
        Assert.Equal(100, r.Subscales.Values.Sum());
        Assert.Equal("atOrAboveCutoff", r.Band);
        Assert.Equal(42, r.Cutoff);
    }

    [Fact]
    public void Hq25_all_zero_answers_score_24_because_six_items_are_reversed()
    {
        Assert.Equal(24, Score(InstrumentIds.Hq25, Repeat(25, 0)).Total);
        Assert.Equal(76, Score(InstrumentIds.Hq25, Repeat(25, 4)).Total);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(21)]
    [InlineData(25)]
    public void Each_hq25_reverse_item_scores_4_minus_the_answer(int item)
    {
        var baseline = Score(InstrumentIds.Hq25, Repeat(25, 0));
        var answers = Repeat(25, 0);
        answers[item - 1] = 4;
        var subscale = Catalog.Get(InstrumentIds.Hq25).Subscales.Single(s => s.Items.Contains(item)).Id;

        var r = Score(InstrumentIds.Hq25, answers);

        Assert.Equal(baseline.Total - 4, r.Total);
        Assert.Equal(baseline.Subscales[subscale] - 4, r.Subscales[subscale]);
        answers[item - 1] = 1;
        Assert.Equal(baseline.Total - 1, Score(InstrumentIds.Hq25, answers).Total);
    }

    [Fact]
    public void A_forward_hq25_item_scores_its_answer()
    {
        var answers = Repeat(25, 0);
        answers[4] = 3; // item 5

        Assert.Equal(27, Score(InstrumentIds.Hq25, answers).Total);
    }

    [Theory]
    [InlineData(41, "belowCutoff")]
    [InlineData(42, "atOrAboveCutoff")]
    public void Hq25_default_cutoff_42_edge(int total, string band)
    {
        var r = Score(InstrumentIds.Hq25, Hq25WithTotal(total));

        Assert.Equal(total, r.Total);
        Assert.Equal(band, r.Band);
        Assert.Equal(42, r.Cutoff);
    }

    [Theory]
    [InlineData(42, "belowCutoff")]
    [InlineData(43, "belowCutoff")]
    [InlineData(44, "atOrAboveCutoff")]
    public void Hq25_custom_cutoff_44_edge(int total, string band)
    {
        var r = Score(InstrumentIds.Hq25, Hq25WithTotal(total), ScoringOptions.Default.WithCutoff("hq25", 44));

        Assert.Equal(band, r.Band);
        Assert.Equal(44, r.Cutoff);
    }

    [Fact]
    public void Clinic_cutoff_from_the_catalog_options_is_applied()
    {
        var catalog = InstrumentCatalog.Load(new InstrumentOptions { Cutoffs = { ["hq25"] = 44 } });

        Assert.Equal("belowCutoff", catalog.Score("hq25", Hq25WithTotal(43)).Band);
        Assert.Equal("atOrAboveCutoff", catalog.Score("hq25", Hq25WithTotal(44)).Band);
    }

    [Fact]
    public void Hq25_subscales_are_reported_with_a_flag_that_their_mapping_is_unconfirmed()
    {
        var r = Score(InstrumentIds.Hq25, Repeat(25, 2));

        Assert.Equal(["emotionalSupport", "isolation", "socialization"], r.Subscales.Keys.Order());
        Assert.Equal(r.Total, r.Subscales.Values.Sum());
        Assert.True(r.HasFlag(ScorerFlags.SubscaleMappingUnconfirmed));
    }

    [Fact]
    public void Hq25m_scores_like_hq25_but_has_no_band_until_a_clinic_sets_a_cutoff()
    {
        var answers = Hq25WithTotal(50);

        var plain = Score(InstrumentIds.Hq25M, answers);
        var withCutoff = Score(InstrumentIds.Hq25M, answers, ScoringOptions.Default.WithCutoff("hq25m", 50));

        Assert.Equal(50, plain.Total);
        Assert.Null(plain.Band);
        Assert.Null(plain.Cutoff);
        Assert.Equal("atOrAboveCutoff", withCutoff.Band);
        Assert.Equal(Score(InstrumentIds.Hq25, Repeat(25, 0)).Total, Score(InstrumentIds.Hq25M, Repeat(25, 0)).Total);
    }

    // ---------------- PHQ-9 ----------------

    [Fact]
    public void Phq9_minimum_and_maximum()
    {
        var min = Score(InstrumentIds.Phq9, Repeat(9, 0));
        var max = Score(InstrumentIds.Phq9, Repeat(9, 3));

        Assert.Equal((0, "minimal"), (min.Total!.Value, min.Band!));
        Assert.Empty(min.Flags);
        Assert.Equal((27, "severe"), (max.Total!.Value, max.Band!));
        Assert.True(max.HasFlag("PHQ9_ITEM9_SAFETY"));
    }

    [Theory]
    [InlineData(4, "minimal")]
    [InlineData(5, "mild")]
    [InlineData(9, "mild")]
    [InlineData(10, "moderate")]
    [InlineData(14, "moderate")]
    [InlineData(15, "moderatelySevere")]
    [InlineData(19, "moderatelySevere")]
    [InlineData(20, "severe")]
    public void Phq9_band_edges(int total, string band)
    {
        var r = Score(InstrumentIds.Phq9, WithTotal(9, 3, total, lastScoredItem: 8));

        Assert.Equal(total, r.Total);
        Assert.Equal(band, r.Band);
        Assert.False(r.HasFlag("PHQ9_ITEM9_SAFETY"));
        Assert.Equal(DecisionSupport.Label, r.Label);
        Assert.Contains("10.1046/j.1525-1497.2001.016009606.x", r.Source);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Phq9_item9_above_zero_raises_the_safety_flag_whatever_the_total(int item9)
    {
        var answers = Repeat(9, 0);
        answers[8] = item9;

        var r = Score(InstrumentIds.Phq9, answers);

        Assert.Equal(item9, r.Total);
        Assert.Equal("minimal", r.Band);
        var flag = Assert.Single(r.Flags);
        Assert.Equal("PHQ9_ITEM9_SAFETY", flag.Code);
        Assert.Contains("Item 9", flag.Text);
        Assert.Equal(item9, r.AnswerTo(9));
    }

    [Fact]
    public void Band_and_flag_texts_follow_the_requested_language()
    {
        var answers = Answers(0, 0, 0, 0, 0, 0, 0, 0, 1);

        var r = Score(InstrumentIds.Phq9, answers, ScoringOptions.Default with { Language = "ja" });

        Assert.Equal("ほぼなし", r.BandText);
        Assert.StartsWith("項目9", r.Flags[0].Text);
    }

    // ---------------- GAD-7 ----------------

    [Theory]
    [InlineData(0, "minimal")]
    [InlineData(4, "minimal")]
    [InlineData(5, "mild")]
    [InlineData(9, "mild")]
    [InlineData(10, "moderate")]
    [InlineData(14, "moderate")]
    [InlineData(15, "severe")]
    [InlineData(21, "severe")]
    public void Gad7_minimum_maximum_and_band_edges(int total, string band)
    {
        var r = Score(InstrumentIds.Gad7, WithTotal(7, 3, total));

        Assert.Equal(total, r.Total);
        Assert.Equal(band, r.Band);
    }

    // ---------------- LSNS-6 ----------------

    [Theory]
    [InlineData(0, "atRiskOfIsolation")]
    [InlineData(11, "atRiskOfIsolation")]
    [InlineData(12, "notAtRisk")]
    [InlineData(30, "notAtRisk")]
    public void Lsns6_minimum_maximum_and_the_below_12_edge(int total, string band)
    {
        var r = Score(InstrumentIds.Lsns6, WithTotal(6, 5, total));

        Assert.Equal(total, r.Total);
        Assert.Equal(band, r.Band);
        Assert.Equal(12, r.Cutoff);
    }

    [Fact]
    public void Lsns6_family_and_friends_subscales()
    {
        var r = Score(InstrumentIds.Lsns6, Answers(5, 5, 5, 0, 0, 1));

        Assert.Equal(15, r.Subscales["family"]);
        Assert.Equal(1, r.Subscales["friends"]);
        Assert.Equal(16, r.Total);
        Assert.False(r.HasFlag(ScorerFlags.SubscaleMappingUnconfirmed));
    }

    // ---------------- C-SSRS screener ----------------

    [Theory]
    [InlineData(new[] { 0, 0, -1, -1, -1, 0 }, "none")]
    [InlineData(new[] { 1, 0, -1, -1, -1, 0 }, "low")]
    [InlineData(new[] { 1, 1, 0, 0, 0, 0 }, "low")]
    [InlineData(new[] { 0, 1, 1, 0, 0, 0 }, "moderate")]
    [InlineData(new[] { 0, 0, -1, -1, -1, 1 }, "moderate")]
    [InlineData(new[] { 1, 1, 1, 1, 0, 0 }, "high")]
    [InlineData(new[] { 1, 1, 0, 0, 1, 0 }, "high")]
    [InlineData(new[] { 0, 0, -1, -1, -1, 2 }, "high")]
    public void Cssrs_levels(int[] raw, string level)
    {
        var answers = raw.Select(a => a < 0 ? (int?)null : a).ToArray();

        var r = Score(InstrumentIds.CssrsScreener, answers);

        Assert.Null(r.Total);
        Assert.Equal(level, r.Band);
        Assert.Equal(level == "high", r.HasFlag("CSSRS_HIGH"));
        Assert.Equal(level == "moderate", r.HasFlag("CSSRS_MODERATE"));
    }

    [Fact]
    public void Cssrs_items_3_to_5_answered_after_a_no_to_item_2_are_rejected_with_the_items_named()
    {
        var ex = Assert.Throws<AssessmentValidationException>(() =>
            Score(InstrumentIds.CssrsScreener, Answers(1, 0, 1, 0, null, 0)));

        Assert.Equal([3, 4], ex.Errors.Select(e => e.Item));
        Assert.Contains("item 3: must be left empty: it is asked only when item 2 is answered 1 or more", ex.Message);
    }

    [Fact]
    public void Cssrs_items_3_to_5_are_required_after_a_yes_to_item_2()
    {
        var ex = Assert.Throws<AssessmentValidationException>(() =>
            Score(InstrumentIds.CssrsScreener, Answers(1, 1, null, 0, 0, 0)));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("item 3: answer missing (expected 0-1)", error.ToString());
    }

    [Fact]
    public void Cssrs_item6_has_its_own_answer_range()
    {
        var ex = Assert.Throws<AssessmentValidationException>(() =>
            Score(InstrumentIds.CssrsScreener, Answers(0, 0, null, null, null, 3)));

        Assert.Equal("item 6: answer 3 is outside 0-2", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Answers_to_skipped_items_are_ignored_when_the_definition_allows_them()
    {
        var definition = Catalog.Get(InstrumentIds.CssrsScreener);
        var lenient = definition with { SkipLogic = [definition.SkipLogic[0] with { AllowAnswerWhenSkipped = true }] };

        var r = InstrumentScorer.Score(lenient, Answers(0, 0, 1, 1, 1, 0));

        Assert.Equal("none", r.Band);
        Assert.Null(r.AnswerTo(4));
    }

    // ---------------- validation ----------------

    [Fact]
    public void Out_of_range_answer_names_the_item_and_the_range()
    {
        var answers = Repeat(9, 1);
        answers[6] = 5;

        var ex = Assert.Throws<AssessmentValidationException>(() => Score(InstrumentIds.Phq9, answers));

        Assert.Equal("item 7: answer 5 is outside 0-3", Assert.Single(ex.Errors).ToString());
        Assert.Equal("phq9", ex.Instrument);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(0)]
    public void Wrong_answer_count_is_rejected(int count)
    {
        var ex = Assert.Throws<AssessmentValidationException>(() => Score(InstrumentIds.Phq9, Repeat(count, 0)));

        Assert.Contains($"expected 9 answers (items 1-9), got {count}", ex.Message);
    }

    [Fact]
    public void Every_problem_is_listed_not_just_the_first()
    {
        var answers = Repeat(7, 0);
        answers[1] = null;
        answers[3] = -1;
        answers[6] = 4;

        var errors = InstrumentScorer.Validate(Catalog.Get(InstrumentIds.Gad7), answers);

        Assert.Equal(["item 2: answer missing (expected 0-3)", "item 4: answer -1 is outside 0-3", "item 7: answer 4 is outside 0-3"],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Results_round_trip_through_json()
    {
        var r = Score(InstrumentIds.Phq9, Answers(0, 1, 2, 3, 0, 1, 2, 3, 1));

        var json = JsonSerializer.Serialize(r);
        var back = JsonSerializer.Deserialize<AssessmentResult>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(back));
        Assert.Equal(r.Total, back.Total);
        Assert.Equal(r.Flags, back.Flags);
    }
}

using System.Text.Json;
using HikiConsult.Domain.Kato;

namespace HikiConsult.Domain.Tests.Kato;

public sealed class KatoClassifierTests
{
    private static IsolationRecord Record(double months = 12, int daysOut = 0, bool oneRoom = false, bool impairment = true,
        bool distress = true, params string[] conditions) =>
        new(months, daysOut, oneRoom, impairment, distress, conditions);

    [Theory]
    [InlineData(0, KatoStatus.NotMet)]
    [InlineData(2.9, KatoStatus.NotMet)]
    [InlineData(3, KatoStatus.PreHikikomori)]
    [InlineData(4.5, KatoStatus.PreHikikomori)]
    [InlineData(5.9, KatoStatus.PreHikikomori)]
    [InlineData(6, KatoStatus.Hikikomori)]
    [InlineData(120, KatoStatus.Hikikomori)]
    public void Duration_boundaries_at_3_and_6_months(double months, KatoStatus expected)
    {
        var c = KatoClassifier.Classify(Record(months: months, daysOut: 1));

        Assert.Equal(expected, c.Status);
        Assert.Equal(expected == KatoStatus.PreHikikomori, c.MarkedForEarlyConsultation);
        Assert.Equal(expected == KatoStatus.NotMet ? null : KatoSeverity.Moderate, c.Severity);
    }

    [Theory]
    [InlineData(0, KatoStatus.Hikikomori, KatoSeverity.Moderate)]
    [InlineData(1, KatoStatus.Hikikomori, KatoSeverity.Moderate)]
    [InlineData(2, KatoStatus.Hikikomori, KatoSeverity.Mild)]
    [InlineData(3, KatoStatus.Hikikomori, KatoSeverity.Mild)]
    [InlineData(4, KatoStatus.NotMet, null)]
    [InlineData(7, KatoStatus.NotMet, null)]
    public void Days_out_boundaries_1_then_2_to_3_then_4_or_more(int daysOut, KatoStatus status, KatoSeverity? severity)
    {
        var c = KatoClassifier.Classify(Record(months: 8, daysOut: daysOut));

        Assert.Equal(status, c.Status);
        Assert.Equal(severity, c.Severity);
    }

    [Fact]
    public void Rarely_leaving_one_room_is_severe_for_hikikomori_and_pre_hikikomori()
    {
        Assert.Equal((KatoStatus.Hikikomori, KatoSeverity.Severe),
            Pair(KatoClassifier.Classify(Record(months: 6, daysOut: 0, oneRoom: true))));
        Assert.Equal((KatoStatus.PreHikikomori, KatoSeverity.Severe),
            Pair(KatoClassifier.Classify(Record(months: 3, daysOut: 0, oneRoom: true))));
    }

    [Fact]
    public void Pre_hikikomori_gets_a_severity_from_going_out_too()
    {
        Assert.Equal((KatoStatus.PreHikikomori, KatoSeverity.Mild), Pair(KatoClassifier.Classify(Record(months: 4, daysOut: 3))));
        Assert.Equal(KatoStatus.NotMet, KatoClassifier.Classify(Record(months: 4, daysOut: 4)).Status);
    }

    [Fact]
    public void Impairment_is_essential_even_with_distress_long_duration_and_no_going_out()
    {
        var c = KatoClassifier.Classify(Record(months: 24, daysOut: 0, oneRoom: true, impairment: false, distress: true));

        Assert.Equal(KatoStatus.NotMet, c.Status);
        Assert.Null(c.Severity);
        Assert.Contains(c.Reasons, r => r.Contains("impairment is essential"));
    }

    [Fact]
    public void Distress_may_be_absent()
    {
        var c = KatoClassifier.Classify(Record(months: 7, daysOut: 1, impairment: true, distress: false));

        Assert.Equal(KatoStatus.Hikikomori, c.Status);
        Assert.Contains(c.Reasons, r => r.Contains("distress may be absent early"));
    }

    [Fact]
    public void Co_occurring_conditions_are_recorded_separately_and_never_exclude()
    {
        var c = KatoClassifier.Classify(Record(7, 1, false, true, true, "major depression", "social anxiety"));

        Assert.Equal(KatoStatus.Hikikomori, c.Status);
        Assert.Equal(["major depression", "social anxiety"], c.CoOccurringConditions);
        Assert.Contains(c.Reasons, r => r.Contains("not as exclusions: major depression, social anxiety"));
    }

    [Fact]
    public void Reasons_state_the_data_and_the_result_carries_source_and_label()
    {
        var c = KatoClassifier.Classify(Record(months: 4.5, daysOut: 2));

        Assert.Contains(c.Reasons, r => r.Contains("4.5 months"));
        Assert.Contains(c.Reasons, r => r.Contains("2 days a week"));
        Assert.Contains("10.1002/wps.20705", c.Source);
        Assert.Equal(DecisionSupport.Label, c.Label);
    }

    [Theory]
    [InlineData(-1, 0, false)]
    [InlineData(double.NaN, 0, false)]
    [InlineData(6, 8, false)]
    [InlineData(6, -1, false)]
    [InlineData(6, 3, true)]
    public void Invalid_records_are_rejected_with_the_field_named(double months, int daysOut, bool oneRoom)
    {
        var ex = Assert.Throws<InvalidRecordException>(() => KatoClassifier.Classify(Record(months, daysOut, oneRoom)));

        Assert.NotEmpty(ex.Problems);
        Assert.Matches("estimatedMonthsOfContinuousIsolation|daysOutOfHomePerWeek|rarelyLeavesOneRoom", ex.Message);
    }

    [Fact]
    public void Classification_round_trips_through_json_with_readable_enum_names()
    {
        var c = KatoClassifier.Classify(Record(months: 4, daysOut: 0, conditions: "PTSD"));

        var json = JsonSerializer.Serialize(c, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var back = JsonSerializer.Deserialize<KatoClassification>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Contains("\"status\":\"preHikikomori\"", json);
        Assert.Contains("\"severity\":\"moderate\"", json);
        Assert.Equal((c.Status, c.Severity), (back.Status, back.Severity));
        Assert.Equal(c.Reasons, back.Reasons);
    }

    private static (KatoStatus, KatoSeverity?) Pair(KatoClassification c) => (c.Status, c.Severity);
}

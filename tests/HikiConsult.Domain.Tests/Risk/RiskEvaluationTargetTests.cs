using HikiConsult.Domain.Risk;
using HikiConsult.Domain.Risk.Evaluation;

namespace HikiConsult.Domain.Tests.Risk;

/// <summary>
/// The targets of issue #23 on the test part, which tuning never reads (see the corpus README): the same evaluation
/// the RiskEval command prints.
/// </summary>
public sealed class RiskEvaluationTargetTests
{
    private static EvaluationResult Run(string part) =>
        RiskEvaluation.Evaluate(RiskDetector.Default, RiskCorpus.LoadPart(RiskCorpus.DefaultFolder, part), part);

    [Theory]
    [InlineData(RiskCorpus.Test)]
    [InlineData(RiskCorpus.Dev)]
    public void Recall_is_at_least_97_percent_in_every_language(string part)
    {
        var result = Run(part);
        Assert.All(result.ByLanguage, row => Assert.True(row.Recall >= 0.97, $"{part} {row.Slice}: recall {row.Recall:P1}\n{RiskEvaluation.Format(result)}"));
    }

    [Theory]
    [InlineData(RiskCorpus.Test)]
    [InlineData(RiskCorpus.Dev)]
    public void Recall_is_at_least_99_percent_for_intent_plan_and_behaviour(string part)
    {
        var result = Run(part);
        foreach (var level in new[] { "intentOrPlan", "behaviour" })
        {
            var row = Assert.Single(result.ByLevel, r => r.Slice == level);
            Assert.True(row.Recall >= 0.99, $"{part} {level}: recall {row.Recall:P1}\n{RiskEvaluation.Format(result)}");
        }
    }

    [Theory]
    [InlineData(RiskCorpus.Test)]
    [InlineData(RiskCorpus.Dev)]
    public void False_alarms_on_hard_negatives_are_at_most_3_percent(string part)
    {
        var result = Run(part);
        Assert.True(result.Overall.HardFalseAlarmRate <= 0.03, $"{part}: {result.Overall.HardFalseAlarmRate:P1}\n{RiskEvaluation.Format(result)}");
    }

    [Fact]
    public void The_keyword_lexicons_alone_fall_short_so_the_evaluation_can_fail()
    {
        var lexiconOnly = RiskEvaluation.Evaluate(RiskDetector.LexiconOnly, RiskCorpus.LoadPart(RiskCorpus.DefaultFolder, RiskCorpus.Dev), "dev");
        Assert.Contains(lexiconOnly.ByLanguage, row => row.Recall < 0.97);
    }
}

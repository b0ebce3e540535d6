using System.Text.Json;
using HikiConsult.Domain.Risk;

namespace HikiConsult.Cohort.Tests;

/// <summary>The synthetic lines are labelled as the shipped risk lexicons read them, so the cohort's truth is what it says.</summary>
public sealed class PhraseBookTests
{
    private static readonly RiskDetector Detector = RiskDetector.LoadShipped();

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    [InlineData("nl")]
    public void Risk_lines_raise_their_category_and_the_bad_day_line_raises_hopelessness(string language)
    {
        var phrases = CohortFiles.Phrases.For(language);

        foreach (var risk in phrases.Risk)
        {
            var matches = Detector.Detect(risk.Text);
            Assert.True(matches.Any(m => JsonNamingPolicy.CamelCase.ConvertName(m.Category.ToString()) == risk.Category), $"'{risk.Text}' should raise {risk.Category}");
        }

        Assert.All(phrases.TransientHopelessness, text =>
            Assert.Contains(Detector.Detect(text), m => m.Category == RiskCategory.Hopelessness));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    [InlineData("nl")]
    public void Neutral_negated_and_counselor_lines_raise_nothing(string language)
    {
        var phrases = CohortFiles.Phrases.For(language);

        Assert.All(phrases.Neutral.Concat(phrases.Counselor), text => Assert.Empty(Detector.Detect(text)));
        Assert.All(phrases.Negated, text =>
        {
            Assert.Empty(Detector.Detect(text));
            Assert.Contains(Detector.Inspect(text), m => m.Negated);
        });
    }
}

using HikiConsult.Domain.Risk;
using HikiConsult.Domain.Risk.Evaluation;

namespace HikiConsult.Domain.Tests.Risk;

/// <summary>The evaluation corpus has the size, balance, split and difficulty the evaluation relies on.</summary>
public sealed class RiskCorpusTests
{
    private static readonly IReadOnlyList<RiskCorpusEntry> Dev = RiskCorpus.LoadPart(RiskCorpus.DefaultFolder, RiskCorpus.Dev);
    private static readonly IReadOnlyList<RiskCorpusEntry> Test = RiskCorpus.LoadPart(RiskCorpus.DefaultFolder, RiskCorpus.Test);
    private static readonly RiskCorpusEntry[] All = [.. Dev, .. Test];
    private static readonly RiskDetector LexiconsOnly = RiskDetector.LoadShippedLexiconsOnly();

    [Fact]
    public void The_corpus_has_at_least_600_messages_and_200_per_language()
    {
        Assert.True(All.Length >= 600, $"{All.Length} messages");
        Assert.Equal(["en", "ja", "nl"], All.Select(e => e.Language).Distinct().Order(StringComparer.Ordinal));
        Assert.All(All.GroupBy(e => e.Language), g => Assert.True(g.Count() >= 200, $"{g.Key}: {g.Count()} messages"));
        Assert.Equal(All.Length, All.Select(e => e.Id).Distinct().Count());
        Assert.Equal(All.Length, All.Select(e => (e.Language, e.Text)).Distinct().Count());
    }

    [Fact]
    public void Each_message_is_in_the_part_its_id_decides()
    {
        Assert.All(Dev, e => Assert.Equal(RiskCorpus.Dev, RiskCorpus.PartOf(e)));
        Assert.All(Test, e => Assert.Equal(RiskCorpus.Test, RiskCorpus.PartOf(e)));
        Assert.All(All, e => Assert.StartsWith(e.Language + "-", e.Id, StringComparison.Ordinal));
        // Retired messages are exactly the series 1 ids the hash had put in the test part.
        Assert.All(Dev.Where(e => e.RetiredFromTest is not null), e => Assert.Equal(RiskCorpus.Test, RiskCorpus.HashPart(e.Id)));
        Assert.All(Dev.Where(e => e.RetiredFromTest is null), e => Assert.Equal(RiskCorpus.Dev, RiskCorpus.HashPart(e.Id)));
    }

    [Fact]
    public void Every_language_has_every_level_and_category_in_both_parts()
    {
        foreach (var part in new[] { Dev, Test })
        {
            foreach (var language in new[] { "en", "ja", "nl" })
            {
                var entries = part.Where(e => e.Language == language).ToArray();
                Assert.All(Enum.GetValues<RiskLevel>(), l => Assert.Contains(entries, e => e.Level == l));
                Assert.All(Enum.GetValues<CorpusCategory>(), c => Assert.Contains(entries, e => e.Category == c));
            }
        }
    }

    [Fact]
    public void At_least_40_percent_of_risk_messages_are_paraphrases_without_a_lexicon_phrase()
    {
        // A paraphrase: the keyword lexicons find none of their phrases in it, negated or not.
        var risk = All.Where(e => e.IsRisk).ToArray();
        var paraphrases = risk.Count(e => LexiconsOnly.Inspect(e.Text).Count == 0);

        Assert.True(paraphrases >= 0.4 * risk.Length, $"{paraphrases} of {risk.Length} risk messages are paraphrases");
        Assert.All(risk.GroupBy(e => e.Language), g =>
            Assert.True(g.Count(e => LexiconsOnly.Inspect(e.Text).Count == 0) >= 0.4 * g.Count(), $"{g.Key}"));
    }

    [Fact]
    public void At_least_a_third_of_non_risk_messages_are_hard_negatives_of_every_kind()
    {
        foreach (var language in new[] { "en", "ja", "nl" })
        {
            var nonRisk = All.Where(e => e.Language == language && !e.IsRisk).ToArray();
            var hard = nonRisk.Count(e => e.HardNegative is not null);
            Assert.True(hard * 3 >= nonRisk.Length, $"{language}: {hard} hard of {nonRisk.Length}");
            Assert.Equal(
                ["anotherPersonsDeath", "gameOrFiction", "idiom", "negation", "pastIdeationDenied", "quotation", "reportedSpeech", "thirdPerson"],
                nonRisk.Where(e => e.HardNegative is not null).Select(e => e.HardNegative!).Distinct().Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void No_test_message_is_a_near_duplicate_of_a_dev_message()
    {
        var devGrams = Dev.Select(e => (e, Grams: Trigrams(e.Text))).ToArray();
        foreach (var t in Test)
        {
            var grams = Trigrams(t.Text);
            var closest = devGrams.Where(d => d.e.Language == t.Language).Max(d => Jaccard(grams, d.Grams));
            Assert.True(closest < 0.6, $"{t.Id} is close to a dev message ({closest:0.00})");
        }
    }

    private static HashSet<string> Trigrams(string text)
    {
        var s = TextNormalizer.Normalize(text).Text;
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= s.Length; i++) set.Add(s.Substring(i, 3));
        return set;
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0) return 1;
        var inter = a.Count(b.Contains);
        return (double)inter / (a.Count + b.Count - inter);
    }
}

namespace HikiConsult.Cohort.Generation;

/// <summary>
/// Answers of the instruments the synthetic clients and counselors complete, built to add up to a planned total or
/// level, and what the server's scoring and classifier should answer for them. Instrument facts, not model choices.
/// </summary>
public static class InstrumentAnswers
{
    public const string Hq25 = "hq25";
    public const string Phq9 = "phq9";
    public const string CssrsScreener = "cssrs-screener";

    /// <summary>Who completed an assessment, as the API takes it (completedBy).</summary>
    public const string ByClient = "client";
    public const string ByCounselor = "counselor";

    /// <summary>HQ-25 items scored 4 − answer (Teo et al. 2018; src/HikiConsult.Domain/Instruments/Definitions/hq25.json).</summary>
    public static readonly IReadOnlySet<int> Hq25ReverseItems = new HashSet<int> { 4, 7, 10, 15, 21, 25 };

    /// <summary>HQ-25: 25 items of 0-4, total 0-100 (Teo et al. 2018).</summary>
    public const int Hq25Max = 100;

    /// <summary>PHQ-9 items 1-8 at most (8 items of 0-3; phq9.json, Kroenke et al. 2001): item 9 is planned on its own.</summary>
    public const int Phq9FirstEightMax = 24;

    /// <summary>Spreads <paramref name="total"/> points over <paramref name="items"/> items of at most <paramref name="max"/> each.</summary>
    internal static int[] Distribute(Random rng, int total, int items, int max)
    {
        total = Math.Clamp(total, 0, items * max);
        var scores = new int[items];
        for (var point = 0; point < total; point++)
        {
            int item;
            do
            {
                item = rng.Next(items);
            }
            while (scores[item] >= max);
            scores[item]++;
        }

        return scores;
    }

    /// <summary>HQ-25 answers (0-4 per item, reverse items answered 4 − score) whose total is <paramref name="total"/>.</summary>
    internal static int?[] Hq25Answers(Random rng, int total)
    {
        var scores = Distribute(rng, total, 25, 4);
        return [.. scores.Select((score, i) => (int?)(Hq25ReverseItems.Contains(i + 1) ? 4 - score : score))];
    }

    /// <summary>PHQ-9 answers with items 1-8 adding up to <paramref name="firstEight"/> and item 9 as given.</summary>
    internal static int?[] Phq9Answers(Random rng, int firstEight, int item9) =>
        [.. Distribute(rng, firstEight, 8, 3).Select(s => (int?)s), item9];

    /// <summary>C-SSRS screener answers for a level (Q3-Q5 left out unless Q2 is yes; Q6 no behaviour; Posner et al. 2011, cssrs-screener.json).</summary>
    internal static int?[] CssrsAnswers(string level) => level switch
    {
        "high" => [1, 1, 1, 1, 0, 0],
        "moderate" => [1, 1, 1, 0, 0, 0],
        "low" => [1, 0, null, null, null, 0],
        _ => [0, 0, null, null, null, 0],
    };

    /// <summary>
    /// The status the criteria of Kato, Kanba &amp; Teo 2020 give (out 4 or more days a week, or no impairment: not
    /// met; 3 to under 6 months: pre-hikikomori; 6 or more: hikikomori): what the server's classifier should answer.
    /// </summary>
    internal static string KatoStatus(double months, int daysOut, bool impairment) =>
        daysOut >= 4 || !impairment || months < 3 ? "notMet" : months < 6 ? "preHikikomori" : "hikikomori";
}

using System.Globalization;
using System.Text;

namespace HikiConsult.Domain.Risk.Evaluation;

/// <summary>Counts for one slice of the corpus (a language, a category, a level, a kind of hard negative).</summary>
/// <param name="Risk">Risk messages in the slice; <paramref name="Detected"/> of them alerted.</param>
/// <param name="NonRisk">Non-risk messages; <paramref name="FalseAlarms"/> of them alerted.</param>
public sealed record EvaluationRow(string Slice, int Risk, int Detected, int NonRisk, int FalseAlarms, int HardNegatives, int HardFalseAlarms)
{
    public double? Recall => Risk == 0 ? null : (double)Detected / Risk;
    public double? FalseAlarmRate => NonRisk == 0 ? null : (double)FalseAlarms / NonRisk;
    public double? HardFalseAlarmRate => HardNegatives == 0 ? null : (double)HardFalseAlarms / HardNegatives;
    public double? Precision => Detected + FalseAlarms == 0 ? null : (double)Detected / (Detected + FalseAlarms);
}

/// <summary>A message the detector got wrong, with what it found (for misses: nothing live; for false alarms: the hits).</summary>
public sealed record EvaluationError(RiskCorpusEntry Entry, IReadOnlyList<RiskMatch> Matches);

public sealed record EvaluationResult(
    string Part,
    EvaluationRow Overall,
    IReadOnlyList<EvaluationRow> ByLanguage,
    IReadOnlyList<EvaluationRow> ByCategory,
    IReadOnlyList<EvaluationRow> ByLevel,
    IReadOnlyList<EvaluationRow> ByHardNegative,
    IReadOnlyList<EvaluationError> Misses,
    IReadOnlyList<EvaluationError> FalseAlarms,
    double LevelAgreement);

/// <summary>
/// Runs a detector over labelled messages: a message alerts when <see cref="RiskDetector.Detect"/> returns anything.
/// Recall per language, category and level; false alarms over all non-risk messages and over hard negatives.
/// Measures the product's own rules on messages its authors wrote (decision support, not a validated instrument).
/// </summary>
public static class RiskEvaluation
{
    public static EvaluationResult Evaluate(RiskDetector detector, IReadOnlyList<RiskCorpusEntry> entries, string part)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(entries);
        var outcomes = entries.Select(e => (Entry: e, Matches: detector.Detect(e.Text, e.Language))).ToArray();
        var alerted = outcomes.Select(o => (o.Entry, Alert: o.Matches.Count > 0)).ToArray();

        EvaluationRow Row(string slice, Func<RiskCorpusEntry, bool> include)
        {
            var s = alerted.Where(a => include(a.Entry)).ToArray();
            return new EvaluationRow(slice,
                s.Count(a => a.Entry.IsRisk), s.Count(a => a.Entry.IsRisk && a.Alert),
                s.Count(a => !a.Entry.IsRisk), s.Count(a => !a.Entry.IsRisk && a.Alert),
                s.Count(a => a.Entry.HardNegative is not null), s.Count(a => a.Entry.HardNegative is not null && a.Alert));
        }

        var detectedRisk = outcomes.Where(o => o.Entry.IsRisk && o.Matches.Count > 0).ToArray();
        var agreement = detectedRisk.Length == 0 ? 0
            : (double)detectedRisk.Count(o => o.Matches.Max(m => m.Level) == o.Entry.Level) / detectedRisk.Length;
        return new EvaluationResult(
            part,
            Row("all", _ => true),
            [.. entries.Select(e => e.Language).Distinct().Order(StringComparer.Ordinal).Select(l => Row(l, e => e.Language == l))],
            [.. Enum.GetValues<CorpusCategory>().Select(c => Row(Camel(c.ToString()), e => e.Category == c))],
            [.. Enum.GetValues<RiskLevel>().Where(l => l != RiskLevel.None).Select(l => Row(Camel(l.ToString()), e => e.Level == l))],
            [.. entries.Where(e => e.HardNegative is not null).Select(e => e.HardNegative!).Distinct().Order(StringComparer.Ordinal)
                .Select(k => Row(k, e => e.HardNegative == k))],
            [.. outcomes.Where(o => o.Entry.IsRisk && o.Matches.Count == 0).Select(o => new EvaluationError(o.Entry, detector.Inspect(o.Entry.Text, o.Entry.Language)))],
            [.. outcomes.Where(o => !o.Entry.IsRisk && o.Matches.Count > 0).Select(o => new EvaluationError(o.Entry, o.Matches))],
            agreement);
    }

    /// <summary>The result as text tables (Markdown), with the misses and false alarms listed.</summary>
    public static string Format(EvaluationResult r, bool listErrors = true)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## Part: {r.Part} ({r.Overall.Risk} risk, {r.Overall.NonRisk} non-risk of which {r.Overall.HardNegatives} hard negatives)");
        sb.AppendLine();
        sb.AppendLine("| slice | risk | recall | non-risk | false alarms | hard negatives | hard false alarms | precision |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in new[] { r.Overall }.Concat(r.ByLanguage).Concat(r.ByCategory).Concat(r.ByLevel).Concat(r.ByHardNegative))
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Slice} | {row.Risk} | {Share(row.Detected, row.Risk)} | {row.NonRisk} | {Share(row.FalseAlarms, row.NonRisk)} | {row.HardNegatives} | {Share(row.HardFalseAlarms, row.HardNegatives)} | {Percent(row.Precision)} |");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Level agreement (highest level found = labelled level) on detected risk messages: {Percent(r.LevelAgreement)}");
        if (!listErrors) return sb.ToString();
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Misses ({r.Misses.Count}):");
        foreach (var m in r.Misses)
        {
            var why = m.Matches.Count == 0 ? "nothing found" : string.Join("; ", m.Matches.Select(x => $"{x.Pattern} cancelled ({x.Reason}: {x.NegationCue})"));
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {m.Entry.Id} [{Camel(m.Entry.Level.ToString())}, {m.Entry.Category}] {m.Entry.Text} — {why}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"False alarms ({r.FalseAlarms.Count}):");
        foreach (var f in r.FalseAlarms)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {f.Entry.Id} [{f.Entry.HardNegative ?? "ordinary"}] {f.Entry.Text} — {string.Join("; ", f.Matches.Select(x => $"{x.Pattern} \"{x.Evidence}\""))}");
        }
        return sb.ToString();
    }

    private static string Share(int part, int whole) => whole == 0 ? "–" : $"{part}/{whole} ({Percent((double)part / whole)})";

    private static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : "–";

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

namespace HikiConsult.Domain.Instruments;

/// <summary>
/// Checks a definition before it is used, so a clinic's override file fails loudly at start-up rather than scoring
/// wrongly later.
/// </summary>
public static class InstrumentDefinitionValidator
{
    /// <summary>Languages every label must be given in.</summary>
    public static readonly IReadOnlyList<string> RequiredLanguages = ["en", "ja", "nl"];

    public static IReadOnlyList<string> Check(InstrumentDefinition d)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(d.Id)) problems.Add("id is empty");
        if (string.IsNullOrWhiteSpace(d.Name)) problems.Add("name is empty");
        if (!d.DecisionSupport) problems.Add("decisionSupport must be true");
        if (string.IsNullOrWhiteSpace(d.Source?.Citation)) problems.Add("source.citation is empty");
        if (d.Scoring is not (ScoringMethods.Sum or ScoringMethods.Levels)) problems.Add($"scoring '{d.Scoring}' is not 'sum' or 'levels'");
        if (d.MappingStatus is not (MappingStatuses.Confirmed or MappingStatuses.Unconfirmed or MappingStatuses.NotApplicable))
            problems.Add($"mappingStatus '{d.MappingStatus}' is not 'confirmed', 'unconfirmed' or 'notApplicable'");
        if (d.LabelStatus is not (LabelStatuses.Own or LabelStatuses.Placeholder))
            problems.Add($"labelStatus '{d.LabelStatus}' is not 'own' or 'placeholder'");

        CheckScale(d.Answers, "answers", problems);
        if (d.Items is null || d.Items.Count == 0)
        {
            problems.Add("items is empty");
            return problems;
        }
        for (var i = 0; i < d.Items.Count; i++)
        {
            var item = d.Items[i];
            if (item.Number != i + 1) problems.Add($"items[{i}] has number {item.Number}; items must be numbered 1..n in order");
            if (string.IsNullOrWhiteSpace(item.Id)) problems.Add($"item {item.Number}: id is empty");
            CheckTexts(item.Labels, $"item {item.Number} labels", problems);
            if (item.Answers is not null) CheckScale(item.Answers, $"item {item.Number} answers", problems);
        }
        var ids = d.Items.Select(i => i.Id).Where(id => id is not null).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count) problems.Add("item ids are not unique");

        var n = d.Items.Count;
        bool Exists(int number) => number >= 1 && number <= n;
        foreach (var r in d.ReverseItems.Where(r => !Exists(r))) problems.Add($"reverseItems names item {r}, which does not exist");

        foreach (var s in d.Subscales)
        {
            CheckTexts(s.Labels, $"subscale {s.Id} labels", problems);
            if (s.Items.Count == 0) problems.Add($"subscale {s.Id} has no items");
            foreach (var i in s.Items.Where(i => !Exists(i))) problems.Add($"subscale {s.Id} names item {i}, which does not exist");
            if (s.Items.Distinct().Count() != s.Items.Count) problems.Add($"subscale {s.Id} lists an item twice");
        }

        var (minTotal, maxTotal) = d.TotalRange;
        if (d.Scoring == ScoringMethods.Sum)
        {
            if (d.Levels.Count > 0) problems.Add("levels are only used with scoring 'levels'");
            if (d.Bands.Count > 0 && d.Cutoff is not null) problems.Add("use either bands or a cutoff, not both");
            CheckBands(d.Bands, minTotal, maxTotal, problems);
            if (d.Cutoff is { } c)
            {
                if (c.Direction is not (CutoffDirections.AtOrAbove or CutoffDirections.Below)) problems.Add($"cutoff.direction '{c.Direction}' is not 'atOrAbove' or 'below'");
                if (c.Default is { } v && (v < minTotal || v > maxTotal)) problems.Add($"cutoff.default {v} is outside the total range {minTotal}-{maxTotal}");
                CheckTexts(c.Positive?.Labels, "cutoff.positive labels", problems);
                CheckTexts(c.Negative?.Labels, "cutoff.negative labels", problems);
            }
        }
        else
        {
            if (d.Levels.Count == 0) problems.Add("scoring 'levels' needs at least one level rule");
            else if (d.Levels[^1].AnyOf.Count != 0) problems.Add("the last level rule must have an empty anyOf (the level when nothing else holds)");
            foreach (var l in d.Levels)
            {
                CheckTexts(l.Labels, $"level {l.Level} labels", problems);
                foreach (var cond in l.AnyOf) CheckCondition(d, cond, $"level {l.Level}", problems);
            }
        }

        var bandIds = d.Bands.Select(b => b.Id)
            .Concat(d.Levels.Select(l => l.Level))
            .Concat(d.Cutoff is null ? [] : new[] { d.Cutoff.Positive.Id, d.Cutoff.Negative.Id })
            .ToHashSet(StringComparer.Ordinal);
        foreach (var f in d.Flags)
        {
            if (string.IsNullOrWhiteSpace(f.Code)) problems.Add("a flag has no code");
            if ((f.When is null) == (f.WhenBand is null)) problems.Add($"flag {f.Code} needs exactly one of 'when' or 'whenBand'");
            if (f.When is not null) CheckCondition(d, f.When, $"flag {f.Code}", problems);
            if (f.WhenBand is not null && !bandIds.Contains(f.WhenBand)) problems.Add($"flag {f.Code} names band '{f.WhenBand}', which does not exist");
            CheckTexts(f.Text, $"flag {f.Code} text", problems);
        }

        foreach (var rule in d.SkipLogic)
        {
            CheckCondition(d, rule.AskedWhen, "skipLogic askedWhen", problems);
            foreach (var i in rule.Items.Where(i => !Exists(i))) problems.Add($"skipLogic names item {i}, which does not exist");
            if (rule.Items.Contains(rule.AskedWhen.Item)) problems.Add($"skipLogic: item {rule.AskedWhen.Item} cannot depend on itself");
            if (rule.Items.Any(i => i <= rule.AskedWhen.Item)) problems.Add("skipLogic: skipped items must come after the item they depend on");
        }
        return problems;
    }

    private static void CheckCondition(InstrumentDefinition d, ItemCondition cond, string where, List<string> problems)
    {
        if (cond.Item < 1 || cond.Item > d.Items.Count)
        {
            problems.Add($"{where} names item {cond.Item}, which does not exist");
            return;
        }
        var scale = d.ScaleOf(d.Items[cond.Item - 1]);
        if (cond.AtLeast < scale.Min || cond.AtLeast > scale.Max)
            problems.Add($"{where}: atLeast {cond.AtLeast} is outside item {cond.Item}'s range {scale.Min}-{scale.Max}");
    }

    private static void CheckBands(IReadOnlyList<BandDefinition> bands, int minTotal, int maxTotal, List<string> problems)
    {
        if (bands.Count == 0) return;
        var expected = minTotal;
        foreach (var b in bands)
        {
            CheckTexts(b.Labels, $"band {b.Id} labels", problems);
            if (b.Min != expected) problems.Add($"band {b.Id} starts at {b.Min}; expected {expected} (bands must be contiguous and in order)");
            if (b.Max < b.Min) problems.Add($"band {b.Id} ends before it starts");
            expected = b.Max + 1;
        }
        if (expected != maxTotal + 1) problems.Add($"bands end at {expected - 1}; expected the maximum total {maxTotal}");
    }

    private static void CheckScale(AnswerScale? scale, string where, List<string> problems)
    {
        if (scale is null)
        {
            problems.Add($"{where} is missing");
            return;
        }
        if (scale.Max < scale.Min) problems.Add($"{where}: max is below min");
        var count = scale.Max - scale.Min + 1;
        foreach (var lang in RequiredLanguages)
        {
            if (scale.Labels is null || !scale.Labels.TryGetValue(lang, out var labels) || labels is null)
                problems.Add($"{where}: labels.{lang} is missing");
            else if (labels.Count != count)
                problems.Add($"{where}: labels.{lang} has {labels.Count} labels for {count} values");
        }
    }

    private static void CheckTexts(IReadOnlyDictionary<string, string>? texts, string where, List<string> problems)
    {
        foreach (var lang in RequiredLanguages)
        {
            if (texts is null || !texts.TryGetValue(lang, out var t) || string.IsNullOrWhiteSpace(t))
                problems.Add($"{where}: '{lang}' is missing");
        }
    }
}

namespace HikiConsult.Domain.Instruments;

/// <summary>
/// Scores answers exactly as the instrument definition says: reverse items, subscales, bands or cut-off, levels,
/// flags and skip logic. Pure and thread-safe.
/// </summary>
public static class InstrumentScorer
{
    /// <summary>Checks answers without scoring them. Empty when they can be scored.</summary>
    public static IReadOnlyList<AnswerError> Validate(InstrumentDefinition definition, IReadOnlyList<int?>? answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<AnswerError>();
        if (answers is null)
        {
            errors.Add(new AnswerError(null, $"no answers; expected {definition.Items.Count}"));
            return errors;
        }
        if (answers.Count != definition.Items.Count)
        {
            errors.Add(new AnswerError(null, $"expected {definition.Items.Count} answers (items 1-{definition.Items.Count}), got {answers.Count}"));
            return errors;
        }
        var skipped = SkippedItems(definition, answers);
        for (var i = 0; i < definition.Items.Count; i++)
        {
            var item = definition.Items[i];
            var answer = answers[i];
            if (skipped.TryGetValue(item.Number, out var rule))
            {
                if (answer is not null && !rule.AllowAnswerWhenSkipped)
                {
                    errors.Add(new AnswerError(item.Number,
                        $"must be left empty: it is asked only when item {rule.AskedWhen.Item} is answered {rule.AskedWhen.AtLeast} or more"));
                }
                continue;
            }
            var scale = definition.ScaleOf(item);
            if (answer is null)
            {
                errors.Add(new AnswerError(item.Number, $"answer missing (expected {scale.Min}-{scale.Max})"));
            }
            else if (answer < scale.Min || answer > scale.Max)
            {
                errors.Add(new AnswerError(item.Number, $"answer {answer} is outside {scale.Min}-{scale.Max}"));
            }
        }
        return errors;
    }

    /// <exception cref="AssessmentValidationException">Wrong count, out of range, missing, or answered when skipped.</exception>
    public static AssessmentResult Score(InstrumentDefinition definition, IReadOnlyList<int?> answers, ScoringOptions? options = null)
    {
        options ??= ScoringOptions.Default;
        var errors = Validate(definition, answers);
        if (errors.Count > 0)
        {
            throw new AssessmentValidationException(definition.Id, errors);
        }

        var skipped = SkippedItems(definition, answers);
        // Answers to skipped items (allowed only when the definition says so) are ignored, not scored.
        var effective = new int?[answers.Count];
        var itemScores = new int[answers.Count];
        var reverse = definition.ReverseItems.ToHashSet();
        for (var i = 0; i < answers.Count; i++)
        {
            var item = definition.Items[i];
            if (skipped.ContainsKey(item.Number)) continue;
            var a = answers[i]!.Value;
            effective[i] = a;
            var scale = definition.ScaleOf(item);
            itemScores[i] = reverse.Contains(item.Number) ? scale.Max + scale.Min - a : a;
        }

        var subscales = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in definition.Subscales)
        {
            subscales[s.Id] = s.Items.Sum(n => itemScores[n - 1]);
        }

        int? total = null;
        string? band = null;
        string? bandText = null;
        int? cutoff = null;
        if (definition.Scoring == ScoringMethods.Sum)
        {
            total = itemScores.Sum();
            if (definition.Bands.Count > 0)
            {
                var b = definition.Bands.First(b => total >= b.Min && total <= b.Max);
                band = b.Id;
                bandText = Text(b.Labels, options.Language);
            }
            else if (definition.Cutoff is { } c && options.CutoffFor(definition) is { } value)
            {
                cutoff = value;
                var positive = c.Direction == CutoffDirections.AtOrAbove ? total >= value : total < value;
                var side = positive ? c.Positive : c.Negative;
                band = side.Id;
                bandText = Text(side.Labels, options.Language);
            }
        }
        else
        {
            var level = definition.Levels.First(l => l.AnyOf.Count == 0 || l.AnyOf.Any(cond => Holds(cond, effective)));
            band = level.Level;
            bandText = Text(level.Labels, options.Language);
        }

        var flags = new List<AssessmentFlag>();
        foreach (var f in definition.Flags)
        {
            var raised = f.When is not null ? Holds(f.When, effective) : f.WhenBand == band;
            if (raised) flags.Add(new AssessmentFlag(f.Code, Text(f.Text, options.Language)));
        }
        if (definition.Subscales.Count > 0 && definition.MappingStatus == MappingStatuses.Unconfirmed)
        {
            flags.Add(new AssessmentFlag(ScorerFlags.SubscaleMappingUnconfirmed,
                "Subscale scores use an item-to-subscale mapping not yet checked against the source; read them as provisional. The total is not affected."));
        }

        return new AssessmentResult(
            definition.Id,
            definition.Name,
            definition.Version,
            total,
            subscales,
            band,
            bandText,
            cutoff,
            flags,
            effective,
            definition.Source.ToString(),
            DecisionSupport.Label);
    }

    /// <summary>Items not asked because their skip condition does not hold, with the rule that skips them.</summary>
    private static Dictionary<int, SkipRule> SkippedItems(InstrumentDefinition definition, IReadOnlyList<int?> answers)
    {
        var skipped = new Dictionary<int, SkipRule>();
        // Rules are applied in item order, so a controlling item that is itself skipped skips its dependants.
        foreach (var rule in definition.SkipLogic.OrderBy(r => r.AskedWhen.Item))
        {
            var controlling = rule.AskedWhen.Item;
            var answer = skipped.ContainsKey(controlling) ? null : answers[controlling - 1];
            if (answer is null || answer < rule.AskedWhen.AtLeast)
            {
                foreach (var n in rule.Items) skipped.TryAdd(n, rule);
            }
        }
        return skipped;
    }

    private static bool Holds(ItemCondition condition, int?[] answers) =>
        answers[condition.Item - 1] is { } a && a >= condition.AtLeast;

    private static string Text(IReadOnlyDictionary<string, string> texts, string language) =>
        texts.TryGetValue(language, out var t) ? t : texts["en"];
}

using System.Text.Json.Serialization;

namespace HikiConsult.Domain.Instruments;

/// <summary>
/// A screening instrument described as data (one JSON file per instrument; format in docs/early-consultation.md).
/// Per-language texts are dictionaries keyed by language code ("en", "ja", "nl").
/// </summary>
public sealed record InstrumentDefinition
{
    /// <summary>Stable id used in the API, e.g. "phq9".</summary>
    public required string Id { get; init; }

    /// <summary>Display name, e.g. "PHQ-9".</summary>
    public required string Name { get; init; }

    /// <summary>Version of this definition file; bump when a clinic changes anything that affects scores.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Always true: the result supports a counselor's judgement and is not a diagnosis.</summary>
    public bool DecisionSupport { get; init; }

    public IReadOnlyDictionary<string, string> Title { get; init; } = new Dictionary<string, string>();

    /// <summary>The period the questions cover, per language (e.g. "past 2 weeks").</summary>
    public IReadOnlyDictionary<string, string> Period { get; init; } = new Dictionary<string, string>();

    /// <summary>"sum" (total = sum of item scores, bands by total) or "levels" (no total, level by rules).</summary>
    public string Scoring { get; init; } = ScoringMethods.Sum;

    /// <summary>Answer range and labels shared by every item that does not override them.</summary>
    public required AnswerScale Answers { get; init; }

    public required IReadOnlyList<ItemDefinition> Items { get; init; }

    /// <summary>Item numbers scored as (max + min - answer).</summary>
    public IReadOnlyList<int> ReverseItems { get; init; } = [];

    public IReadOnlyList<SubscaleDefinition> Subscales { get; init; } = [];

    /// <summary>
    /// Whether the item-to-subscale mapping was checked against the cited source: "confirmed", "unconfirmed" or
    /// "notApplicable". Unconfirmed subscale scores carry a flag saying so.
    /// </summary>
    public string MappingStatus { get; init; } = MappingStatuses.NotApplicable;

    public string? MappingNote { get; init; }

    /// <summary>"own" (short labels written for this product) or "placeholder" (a clinic must load the wording).</summary>
    public string LabelStatus { get; init; } = LabelStatuses.Own;

    /// <summary>A single configurable cut-off splitting totals into a positive and a negative band.</summary>
    public CutoffDefinition? Cutoff { get; init; }

    /// <summary>Fixed bands by total, contiguous over the total range.</summary>
    public IReadOnlyList<BandDefinition> Bands { get; init; } = [];

    /// <summary>For "levels" scoring: rules tried in order, the first that matches gives the level.</summary>
    public IReadOnlyList<LevelRule> Levels { get; init; } = [];

    public IReadOnlyList<FlagRule> Flags { get; init; } = [];

    public IReadOnlyList<SkipRule> SkipLogic { get; init; } = [];

    public required SourceCitation Source { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Lowest and highest possible total (reverse scoring does not change the range).</summary>
    [JsonIgnore]
    public (int Min, int Max) TotalRange
    {
        get
        {
            var min = 0;
            var max = 0;
            foreach (var item in Items)
            {
                var scale = item.Answers ?? Answers;
                min += scale.Min;
                max += scale.Max;
            }
            return (min, max);
        }
    }

    public AnswerScale ScaleOf(ItemDefinition item) => item.Answers ?? Answers;
}

public static class ScoringMethods
{
    public const string Sum = "sum";
    public const string Levels = "levels";
}

public static class MappingStatuses
{
    public const string Confirmed = "confirmed";
    public const string Unconfirmed = "unconfirmed";
    public const string NotApplicable = "notApplicable";
}

public static class LabelStatuses
{
    public const string Own = "own";
    public const string Placeholder = "placeholder";
}

/// <summary>One question.</summary>
public sealed record ItemDefinition
{
    public required string Id { get; init; }

    /// <summary>1-based position; answers are given in this order.</summary>
    public required int Number { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Overrides the instrument's answer scale for this item only.</summary>
    public AnswerScale? Answers { get; init; }
}

/// <summary>Answer range with one label per value (labels[lang][0] is the label of <see cref="Min"/>).</summary>
public sealed record AnswerScale
{
    public required int Min { get; init; }
    public required int Max { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Labels { get; init; }
}

public sealed record SubscaleDefinition
{
    public required string Id { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required IReadOnlyList<int> Items { get; init; }
}

/// <summary>
/// A cut-off on the total. <see cref="Default"/> may be null (no validated cut-off shipped); the effective value can
/// be set per clinic through <see cref="ScoringOptions.Cutoffs"/>.
/// </summary>
public sealed record CutoffDefinition
{
    public int? Default { get; init; }

    /// <summary>"atOrAbove": total &gt;= cut-off is positive. "below": total &lt; cut-off is positive.</summary>
    public required string Direction { get; init; }

    public required BandLabel Positive { get; init; }
    public required BandLabel Negative { get; init; }

    /// <summary>Other published cut-offs a clinic may choose, with their source.</summary>
    public IReadOnlyList<PublishedCutoff> Published { get; init; } = [];
}

public static class CutoffDirections
{
    public const string AtOrAbove = "atOrAbove";
    public const string Below = "below";
}

public sealed record BandLabel
{
    public required string Id { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
}

public sealed record PublishedCutoff
{
    public required int Value { get; init; }
    public required string Source { get; init; }
}

public sealed record BandDefinition
{
    public required string Id { get; init; }
    public required int Min { get; init; }
    public required int Max { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
}

/// <summary>A level (e.g. C-SSRS "high") reached when any of its conditions holds; an empty list always matches.</summary>
public sealed record LevelRule
{
    public required string Level { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public IReadOnlyList<ItemCondition> AnyOf { get; init; } = [];
}

/// <summary>True when the item was answered with at least <see cref="AtLeast"/>.</summary>
public sealed record ItemCondition
{
    public required int Item { get; init; }
    public required int AtLeast { get; init; }
}

/// <summary>
/// A flag raised on an item answer (<see cref="When"/>) or on a band/level (<see cref="WhenBand"/>), whatever the
/// total (e.g. PHQ-9 item 9 &gt; 0).
/// </summary>
public sealed record FlagRule
{
    public required string Code { get; init; }
    public ItemCondition? When { get; init; }
    public string? WhenBand { get; init; }
    public required IReadOnlyDictionary<string, string> Text { get; init; }
}

/// <summary>
/// Items asked only when a condition holds (C-SSRS: Q3-Q5 only if Q2 is yes). Skipped items are left empty (null);
/// an answer to a skipped item is rejected unless <see cref="AllowAnswerWhenSkipped"/> (then it is ignored).
/// </summary>
public sealed record SkipRule
{
    public required IReadOnlyList<int> Items { get; init; }
    public required ItemCondition AskedWhen { get; init; }
    public bool AllowAnswerWhenSkipped { get; init; }
}

public sealed record SourceCitation
{
    /// <summary>Full reference.</summary>
    public required string Citation { get; init; }
    public string? Doi { get; init; }
    public string? Note { get; init; }

    public override string ToString() => Doi is null || Citation.Contains(Doi, StringComparison.OrdinalIgnoreCase)
        ? Citation
        : $"{Citation} doi:{Doi}";
}

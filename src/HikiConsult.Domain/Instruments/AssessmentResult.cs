using Orleans;

namespace HikiConsult.Domain.Instruments;

/// <summary>
/// A scored assessment. <see cref="Total"/> is null for level-scored instruments (C-SSRS screener);
/// <see cref="Band"/> is the band, level or cut-off side, null when no cut-off is configured.
/// </summary>
public sealed record AssessmentResult(
    string Instrument,
    string InstrumentName,
    int DefinitionVersion,
    int? Total,
    IReadOnlyDictionary<string, int> Subscales,
    string? Band,
    string? BandText,
    int? Cutoff,
    IReadOnlyList<AssessmentFlag> Flags,
    IReadOnlyList<int?> Answers,
    string Source,
    string Label)
{
    /// <summary>The raw answer to an item (1-based), null if skipped.</summary>
    public int? AnswerTo(int itemNumber) =>
        itemNumber >= 1 && itemNumber <= Answers.Count ? Answers[itemNumber - 1] : null;

    public bool HasFlag(string code) => Flags.Any(f => f.Code == code);
}

/// <summary>A flag on a result, e.g. PHQ9_ITEM9_SAFETY, with its text in the requested language.</summary>
[GenerateSerializer, Immutable, Alias("hc.AssessmentFlag")]
public sealed record AssessmentFlag(string Code, string Text);

/// <summary>Flag codes raised by the scorer itself (instrument flags come from the definition files).</summary>
public static class ScorerFlags
{
    /// <summary>Subscale scores rest on an item-to-subscale mapping not checked against the source.</summary>
    public const string SubscaleMappingUnconfirmed = "SUBSCALE_MAPPING_UNCONFIRMED";
}

namespace HikiConsult.Domain.Risk;

/// <summary>
/// A risk hit in a message. <see cref="Evidence"/> is the matched span exactly as written; <see cref="Start"/>
/// and <see cref="Length"/> locate it in the original text. <see cref="Pattern"/> names the concept pattern (or
/// lexicon phrase) that fired and <see cref="Level"/> how far the words go, so a counselor sees why. Cancelled hits
/// (negation, an idiom, fiction, someone else, reported speech, a quotation, past ideation now denied) are only
/// returned by <see cref="RiskDetector.Inspect"/>, with <see cref="Negated"/> set, the cue in
/// <see cref="NegationCue"/> and the kind of cancellation in <see cref="Reason"/>.
/// </summary>
public sealed record RiskMatch(
    RiskCategory Category,
    string Language,
    string Evidence,
    int Start,
    int Length,
    string Term,
    bool Negated = false,
    string? NegationCue = null)
{
    /// <summary>C-SSRS-aligned level the words show.</summary>
    public RiskLevel Level { get; init; } = RiskLevel.None;

    /// <summary>The concept pattern that fired ("en.wish-not-alive"), or "lexicon" for a keyword phrase only.</summary>
    public string Pattern { get; init; } = "lexicon";

    /// <summary>Why a hit was cancelled: negation, idiom, fiction, third person, reported speech, quotation, past denied.</summary>
    public string? Reason { get; init; }
}

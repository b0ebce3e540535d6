namespace HikiConsult.Domain.Risk;

/// <summary>
/// A lexicon hit in a message. <see cref="Evidence"/> is the matched span exactly as written; <see cref="Start"/>
/// and <see cref="Length"/> locate it in the original text. Negated hits (e.g. "I would never hurt myself") are only
/// returned by <see cref="RiskDetector.Inspect"/>, with the cue that negated them.
/// </summary>
public sealed record RiskMatch(
    RiskCategory Category,
    string Language,
    string Evidence,
    int Start,
    int Length,
    string Term,
    bool Negated = false,
    string? NegationCue = null);

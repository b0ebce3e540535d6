using HikiConsult.Domain.Risk;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Phrases the shipped risk lexicons flag (suicide category, no negation), one per language, sent in turn by the
/// load's risk messages.
/// </summary>
public static class RiskPhrases
{
    /// <summary>The tool's own copy of the server's detector, loaded once for the phrase checks.</summary>
    private static readonly RiskDetector Detector = RiskDetector.LoadShipped();

    public static IReadOnlyList<(string Language, string Text)> All { get; } =
    [
        ("en", "I want to die"),
        ("ja", "もう死にたい"),
        ("nl", "Ik wil dood"),
    ];

    /// <summary>The phrase for the <paramref name="index"/>th risk message: en, ja, nl, en, …</summary>
    public static string For(long index) => All[(int)(index % All.Count)].Text;

    /// <summary>
    /// Whether the shipped detector raises an alert for <paramref name="text"/>. Checked for every phrase before a
    /// run: a phrase it no longer flags would show up as missing alerts, a fault of the tool, not of the server.
    /// </summary>
    public static bool IsFlagged(string text) => Detector.Detect(text).Count > 0;

    /// <summary>The first phrase the detector does not flag inside a device's load message, if any.</summary>
    public static (string Language, string Text)? FirstUnflagged() =>
        All.Where(p => !IsFlagged(PhaseTracker.Text(1, 1, fromCounselor: false, p.Text))).Cast<(string, string)?>().FirstOrDefault();
}

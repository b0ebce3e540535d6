namespace HikiConsult.Domain.Research;

/// <summary>An analyte reported by Setoyama et al. 2022, with what the study found (research context only).</summary>
public sealed record KnownAnalyte(string Id, string Name, string Finding);

/// <summary>
/// The analytes of Setoyama et al., Dialogues Clin Neurosci 2022 (42 drug-free patients vs 41 controls, 127
/// metabolites). Their random-forest model reached AUC 0.854 (95% CI 0.648-1.000, wide) and was not externally
/// validated: the values are research data, not a test.
/// </summary>
public static class KnownAnalytes
{
    public const string Ornithine = "ornithine";
    public const string Arginine = "arginine";
    public const string Bilirubin = "bilirubin";
    public const string ArginaseActivity = "arginaseActivity";
    public const string LongChainAcylcarnitines = "longChainAcylcarnitines";

    public const string StudyCaveat =
        "Research finding in one small study (42 patients, 41 controls); classifier AUC 0.854 (95% CI 0.648-1.000), not externally validated. Not diagnostic.";

    public static IReadOnlyList<KnownAnalyte> All { get; } =
    [
        new(Ornithine, "Ornithine", "Higher in men with hikikomori than in male controls."),
        new(Arginine, "Arginine", "Lower in men with hikikomori than in male controls."),
        new(Bilirubin, "Bilirubin", "Lower in men with hikikomori than in male controls."),
        new(ArginaseActivity, "Serum arginase activity", "Higher in men with hikikomori than in male controls."),
        new(LongChainAcylcarnitines, "Long-chain acylcarnitines", "Higher in people with hikikomori, in both sexes."),
    ];

    /// <summary>The canonical id for a name given in any case ("Ornithine" → "ornithine"), or null if unknown.</summary>
    public static string? Canonical(string? analyte) =>
        analyte is null ? null : All.FirstOrDefault(a => string.Equals(a.Id, analyte.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;

    public static KnownAnalyte? Find(string? analyte) => Canonical(analyte) is { } id ? All.First(a => a.Id == id) : null;
}

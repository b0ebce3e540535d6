namespace HikiConsult.Domain.Instruments;

/// <summary>Options for one scoring call.</summary>
public sealed record ScoringOptions
{
    public static ScoringOptions Default { get; } = new();

    /// <summary>Cut-off per instrument id; instruments not listed use their definition's default.</summary>
    public IReadOnlyDictionary<string, int> Cutoffs { get; init; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Language of band and flag texts ("en", "ja", "nl"); falls back to English.</summary>
    public string Language { get; init; } = "en";

    public ScoringOptions WithCutoff(string instrumentId, int cutoff)
    {
        var cutoffs = new Dictionary<string, int>(Cutoffs, StringComparer.OrdinalIgnoreCase) { [instrumentId] = cutoff };
        return this with { Cutoffs = cutoffs };
    }

    /// <summary>The cut-off in force for an instrument: the clinic's if set, else the definition's default.</summary>
    public int? CutoffFor(InstrumentDefinition definition) =>
        Cutoffs.TryGetValue(definition.Id, out var c) ? c : definition.Cutoff?.Default;
}

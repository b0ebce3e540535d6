namespace HikiConsult.Domain.Instruments;

/// <summary>Per-clinic instrument settings (bind from configuration, e.g. section "EarlyConsultation:Instruments").</summary>
public sealed class InstrumentOptions
{
    /// <summary>
    /// A directory of definition files (*.json) that replace shipped definitions with the same id (e.g. a clinic's
    /// licensed official wording) or add new instruments. Default none: shipped definitions only.
    /// </summary>
    public string? OverrideDirectory { get; set; }

    /// <summary>
    /// Cut-off per instrument id, overriding the definition's default. The HQ-25 default is 42 (Teo et al. 2018);
    /// the Kyushu group also publishes 44: set <c>Cutoffs["hq25"] = 44</c> to use it. Default empty: each definition's own cut-off.
    /// </summary>
    public Dictionary<string, int> Cutoffs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Language for band and flag texts in results. Default "en".</summary>
    public string Language { get; set; } = "en";

    public ScoringOptions ToScoringOptions() => new()
    {
        Cutoffs = new Dictionary<string, int>(Cutoffs, StringComparer.OrdinalIgnoreCase),
        Language = Language,
    };
}

namespace HikiConsult.Domain;

/// <summary>
/// Labels every clinical output of the domain carries. The software supports a counselor's judgement; it never
/// diagnoses.
/// </summary>
public static class DecisionSupport
{
    /// <summary>Label on every score, status, alert and triage entry.</summary>
    public const string Label = "Decision support, not a diagnosis";

    /// <summary>Label on research records (biomarkers): shown, never used for decisions.</summary>
    public const string ResearchLabel = "Research data, not diagnostic";
}

using System.Text.Json.Serialization;

namespace HikiConsult.Domain.Risk;

/// <summary>
/// How far a message goes, on the steps of the C-SSRS screener (Posner et al. 2011): what the words show, for a
/// counselor to ask about, never an assessment of the person (decision support, not a diagnosis).
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RiskLevel>))]
public enum RiskLevel
{
    None,
    /// <summary>Screener Q1: wish to be dead or not to wake up, hopelessness about living, being a burden.</summary>
    WishToBeDead,
    /// <summary>Screener Q2: thoughts of killing oneself (for self-harm: an urge to hurt oneself).</summary>
    ActiveIdeation,
    /// <summary>Screener Q3: thinking of a method or of means (looking up doses, a place).</summary>
    Method,
    /// <summary>Screener Q4/Q5: intent, a plan, a time, a farewell announced.</summary>
    IntentOrPlan,
    /// <summary>Screener Q6: a preparatory act (pills saved, a rope bought, a note written) or self-harm behaviour.</summary>
    Behaviour,
}

using System.Text.Json.Serialization;

namespace HikiConsult.Domain.Risk;

[JsonConverter(typeof(CamelCaseEnumConverter<RiskCategory>))]
public enum RiskCategory
{
    /// <summary>Self-harm without stated suicidal intent (cutting, burning, hurting oneself).</summary>
    SelfHarm,
    /// <summary>Wish to die, suicidal thoughts or intent.</summary>
    Suicide,
    /// <summary>Hopelessness, being a burden, no way out.</summary>
    Hopelessness,
    /// <summary>A plan, a method or access to means (pills saved, rope, jumping, a note).</summary>
    PlanOrMeans,
}

public static class RiskCategories
{
    /// <summary>Categories that count as a high-risk alert for triage.</summary>
    public static bool IsHigh(RiskCategory category) => category is RiskCategory.PlanOrMeans or RiskCategory.Suicide;

    /// <summary>Order used when two lexicon entries claim the same words: the more urgent wins.</summary>
    internal static int Urgency(RiskCategory category) => category switch
    {
        RiskCategory.PlanOrMeans => 0,
        RiskCategory.Suicide => 1,
        RiskCategory.SelfHarm => 2,
        _ => 3,
    };
}

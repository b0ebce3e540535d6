using System.Text.Json.Serialization;
using Orleans;

namespace HikiConsult.Domain.Kato;

[JsonConverter(typeof(CamelCaseEnumConverter<KatoStatus>))]
[GenerateSerializer, Alias("hc.KatoStatus")]
public enum KatoStatus
{
    NotMet,
    /// <summary>All criteria but a duration of 3 to under 6 months: the early-consultation target.</summary>
    PreHikikomori,
    Hikikomori,
}

[JsonConverter(typeof(CamelCaseEnumConverter<KatoSeverity>))]
[GenerateSerializer, Alias("hc.KatoSeverity")]
public enum KatoSeverity
{
    /// <summary>Goes out 2-3 days a week.</summary>
    Mild,
    /// <summary>Goes out 1 day a week or less.</summary>
    Moderate,
    /// <summary>Rarely leaves one room.</summary>
    Severe,
}

/// <summary>
/// Status under the proposed hikikomori criteria, with the reasons in plain words. Severity is null when the
/// criteria are not met. Decision support, not a diagnosis.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.KatoClassification")]
public sealed record KatoClassification(
    KatoStatus Status,
    KatoSeverity? Severity,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> CoOccurringConditions,
    string Source,
    string Label)
{
    /// <summary>Pre-hikikomori clients are marked for early consultation.</summary>
    public bool MarkedForEarlyConsultation => Status == KatoStatus.PreHikikomori;
}

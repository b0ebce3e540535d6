using System.Text.Json.Serialization;
using Orleans;

namespace HikiConsult.Domain.Research;

[JsonConverter(typeof(CamelCaseEnumConverter<BiologicalSex>))]
[GenerateSerializer, Alias("hc.BiologicalSex")]
public enum BiologicalSex
{
    Female,
    Male,
    Other,
    Unknown,
}

/// <summary>
/// A research lab value for a client (Setoyama et al. 2022 analytes). Shown as research data only: not diagnostic,
/// and never an input to triage or any other decision support.
/// </summary>
/// <param name="Analyte">One of <see cref="KnownAnalytes"/> (e.g. "ornithine").</param>
/// <param name="Value">The measured value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">E.g. "µmol/L", "mg/dL", "U/L".</param>
/// <param name="Sex">Findings differ by sex (several were seen in men only).</param>
/// <param name="Assay">Method and laboratory, e.g. "LC-MS/MS, lab X".</param>
/// <param name="Date">Sampling date.</param>
[GenerateSerializer, Immutable, Alias("hc.BiomarkerRecord")]
public sealed record BiomarkerRecord(string Analyte, double Value, string Unit, BiologicalSex Sex, string Assay, DateOnly Date)
{
    public const string Label = DecisionSupport.ResearchLabel;
    public const string Source = Sources.Setoyama2022;
}

using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Research;
using Orleans;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>Who filled in an assessment.</summary>
public static class CompletedBy
{
    public const string Client = "client";
    public const string Counselor = "counselor";
    public const string Family = "family";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Client, Counselor, Family };
}

/// <summary>Answers to score and keep for a client. Answers are in item order, null for an item skipped by the skip logic.</summary>
[GenerateSerializer, Immutable, Alias("hc.AssessmentSubmission")]
public sealed record AssessmentSubmission(string Instrument, IReadOnlyList<int?> Answers, string CompletedBy, string RecordedBy);

/// <summary>
/// A scored assessment as kept and returned: the instrument, who completed it, the total (null for level-scored
/// instruments), subscales, band (or level, or side of the cut-off) with its text, the cut-off in force, flags,
/// the answers as scored, the source citation and the decision-support label.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.AssessmentRecord")]
public sealed record AssessmentRecord(
    string Id,
    string ClientId,
    string Instrument,
    string InstrumentName,
    int DefinitionVersion,
    string CompletedBy,
    string RecordedBy,
    DateTimeOffset CompletedAt,
    int? Total,
    IReadOnlyDictionary<string, int> Subscales,
    string? Band,
    string? BandText,
    int? Cutoff,
    IReadOnlyList<AssessmentFlag> Flags,
    IReadOnlyList<int?> Answers,
    string Source,
    string Label)
{
    public static AssessmentRecord From(string id, string clientId, AssessmentSubmission submission, AssessmentResult result, DateTimeOffset at) => new(
        id,
        clientId,
        result.Instrument,
        result.InstrumentName,
        result.DefinitionVersion,
        submission.CompletedBy,
        submission.RecordedBy,
        at,
        result.Total,
        result.Subscales,
        result.Band,
        result.BandText,
        result.Cutoff,
        result.Flags,
        result.Answers,
        result.Source,
        result.Label);
}

/// <summary>A counselor's isolation record with its Kato 2020 classification (decision support, with its source).</summary>
[GenerateSerializer, Immutable, Alias("hc.IsolationRecordEntry")]
public sealed record IsolationRecordEntry(
    string Id,
    string ClientId,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    IsolationRecord Record,
    KatoClassification Classification);

/// <summary>
/// A research biomarker record as kept and shown: the value, what the study found for the analyte, the study's
/// caveat, the citation and the label "Research data, not diagnostic". Never an input to triage.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.BiomarkerEntry")]
public sealed record BiomarkerEntry(
    string Id,
    string ClientId,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    BiomarkerRecord Record,
    string AnalyteName,
    string Finding,
    string Caveat,
    string Source,
    string Label);

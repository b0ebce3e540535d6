using System.Text.Json;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// An assessment to score: the instrument id, the answers in item order (a whole number each, null for an item the
/// skip logic leaves out) and who completed it ("client", "counselor" or "family"; a device's own report is always
/// its own). Answers are read as raw JSON so that a wrong answer is reported with its item.
/// </summary>
public sealed record SubmitAssessmentRequest(string? Instrument, JsonElement Answers, string? CompletedBy);

/// <summary>A counselor's isolation record (Kato 2020 criteria). Every field but the conditions is required.</summary>
public sealed record IsolationRecordRequest(
    double? EstimatedMonthsOfContinuousIsolation,
    int? DaysOutOfHomePerWeek,
    bool? RarelyLeavesOneRoom,
    bool? FunctionalImpairment,
    bool? Distress,
    IReadOnlyList<string>? CoOccurringConditions);

/// <summary>A research lab value (Setoyama 2022 analytes): sex is female, male, other or unknown; date is yyyy-MM-dd.</summary>
public sealed record BiomarkerRequest(string? Analyte, double? Value, string? Unit, string? Sex, string? Assay, string? Date);

using System.Globalization;

namespace HikiConsult.Domain.Research;

/// <summary>A biomarker record as shown: the value with its research finding, caveat, source and label.</summary>
public sealed record ResearchBiomarker(BiomarkerRecord Record, string AnalyteName, string Finding, string Caveat, string Source, string Label);

/// <summary>Validation and presentation of research biomarker records.</summary>
public static class BiomarkerRecords
{
    public const int MaxUnitLength = 32;
    public const int MaxAssayLength = 200;

    /// <summary>Every problem with a record; empty when it can be stored.</summary>
    public static IReadOnlyList<string> Validate(BiomarkerRecord record, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problems = new List<string>();
        if (KnownAnalytes.Canonical(record.Analyte) is null)
            problems.Add($"analyte '{record.Analyte}' is not one of {string.Join(", ", KnownAnalytes.All.Select(a => a.Id))}");
        if (double.IsNaN(record.Value) || double.IsInfinity(record.Value))
            problems.Add("value must be a finite number");
        else if (record.Value < 0)
            problems.Add($"value must be 0 or more (got {record.Value.ToString(CultureInfo.InvariantCulture)})");
        if (string.IsNullOrWhiteSpace(record.Unit)) problems.Add("unit is empty");
        else if (record.Unit.Length > MaxUnitLength) problems.Add($"unit is longer than {MaxUnitLength} characters");
        if (!Enum.IsDefined(record.Sex)) problems.Add("sex must be female, male, other or unknown");
        if (string.IsNullOrWhiteSpace(record.Assay)) problems.Add("assay is empty");
        else if (record.Assay.Length > MaxAssayLength) problems.Add($"assay is longer than {MaxAssayLength} characters");
        if (record.Date > today) problems.Add($"date {record.Date:yyyy-MM-dd} is in the future");
        if (record.Date.Year < 1900) problems.Add($"date {record.Date:yyyy-MM-dd} is not plausible");
        return problems;
    }

    /// <summary>The record with its analyte in canonical form, ready to store.</summary>
    /// <exception cref="InvalidRecordException">The record is invalid.</exception>
    public static BiomarkerRecord Normalize(BiomarkerRecord record, DateOnly today)
    {
        var problems = Validate(record, today);
        if (problems.Count > 0) throw new InvalidRecordException("biomarker record", problems);
        return record with { Analyte = KnownAnalytes.Canonical(record.Analyte)!, Unit = record.Unit.Trim(), Assay = record.Assay.Trim() };
    }

    public static ResearchBiomarker Present(BiomarkerRecord record)
    {
        var analyte = KnownAnalytes.Find(record.Analyte);
        return new ResearchBiomarker(
            record,
            analyte?.Name ?? record.Analyte,
            analyte?.Finding ?? "Not an analyte of the cited study.",
            KnownAnalytes.StudyCaveat,
            BiomarkerRecord.Source,
            BiomarkerRecord.Label);
    }
}

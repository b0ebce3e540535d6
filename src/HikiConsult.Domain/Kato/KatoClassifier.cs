using System.Globalization;

namespace HikiConsult.Domain.Kato;

/// <summary>
/// Applies the proposed diagnostic criteria for hikikomori (Kato, Kanba &amp; Teo, World Psychiatry 2020):
/// (a) marked social isolation in the home, (b) continuous for at least 6 months, (c) significant functional
/// impairment (essential) or distress (may be absent early). 3 to under 6 months is pre-hikikomori. Severity by
/// going out: 2-3 days a week mild, 1 day or less moderate, rarely leaves one room severe; 4 or more days a week:
/// criteria not met.
/// </summary>
public static class KatoClassifier
{
    public const string Source = Sources.Kato2020;
    public const double PreHikikomoriMonths = 3;
    public const double HikikomoriMonths = 6;
    /// <summary>Going out on this many days a week or more means criterion (a) is not met.</summary>
    public const int NotIsolatedDaysOut = 4;

    /// <exception cref="InvalidRecordException">The record is out of range or contradicts itself.</exception>
    public static KatoClassification Classify(IsolationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problems = record.Validate();
        if (problems.Count > 0) throw new InvalidRecordException("isolation record", problems);

        var reasons = new List<string>();
        var months = record.EstimatedMonthsOfContinuousIsolation;
        var monthsText = months.ToString("0.#", CultureInfo.InvariantCulture);
        var days = record.DaysOutOfHomePerWeek;
        var met = true;

        // (a) marked social isolation in the home
        if (record.RarelyLeavesOneRoom)
        {
            reasons.Add("Rarely leaves one room: marked isolation in the home (criterion a).");
        }
        else if (days >= NotIsolatedDaysOut)
        {
            met = false;
            reasons.Add($"Goes out of the home {days} days a week: 4 or more days means the criteria are not met (criterion a).");
        }
        else
        {
            reasons.Add($"Goes out of the home {days} {(days == 1 ? "day" : "days")} a week: marked isolation in the home (criterion a).");
        }

        // (c) impairment is essential; distress may be absent early
        if (record.FunctionalImpairment)
        {
            reasons.Add("Significant functional impairment with the isolation (criterion c).");
        }
        else
        {
            met = false;
            reasons.Add("No significant functional impairment recorded: impairment is essential, so the criteria are not met (criterion c).");
        }
        reasons.Add(record.Distress
            ? "Distress with the isolation is present."
            : "No distress recorded: distress may be absent early and is not required.");

        // (b) duration
        var status = KatoStatus.NotMet;
        if (months >= HikikomoriMonths)
        {
            reasons.Add($"Continuous isolation estimated at {monthsText} months: at least 6 months (criterion b).");
            if (met) status = KatoStatus.Hikikomori;
        }
        else if (months >= PreHikikomoriMonths)
        {
            reasons.Add($"Continuous isolation estimated at {monthsText} months: 3 to under 6 months is pre-hikikomori, the early-consultation target.");
            if (met) status = KatoStatus.PreHikikomori;
        }
        else
        {
            met = false;
            reasons.Add($"Continuous isolation estimated at {monthsText} months: under 3 months, neither hikikomori nor pre-hikikomori (criterion b).");
        }

        KatoSeverity? severity = null;
        if (status != KatoStatus.NotMet)
        {
            severity = record.RarelyLeavesOneRoom ? KatoSeverity.Severe
                : days <= 1 ? KatoSeverity.Moderate
                : KatoSeverity.Mild;
            reasons.Add(severity switch
            {
                KatoSeverity.Severe => "Severity severe: rarely leaves one room.",
                KatoSeverity.Moderate => "Severity moderate: goes out 1 day a week or less.",
                _ => "Severity mild: goes out 2-3 days a week.",
            });
        }

        var conditions = record.CoOccurringConditions.Select(c => c.Trim()).ToArray();
        if (conditions.Length > 0)
        {
            reasons.Add($"Co-occurring conditions recorded separately, not as exclusions: {string.Join(", ", conditions)}.");
        }

        return new KatoClassification(status, severity, reasons, conditions, Source, DecisionSupport.Label);
    }
}

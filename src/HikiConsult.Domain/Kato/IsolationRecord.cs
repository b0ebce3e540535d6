using Orleans;

namespace HikiConsult.Domain.Kato;

/// <summary>
/// What a counselor records about a client's withdrawal, as the Kato 2020 criteria need it. Co-occurring conditions
/// (e.g. avoidant personality, major depression, social anxiety, PTSD) are recorded separately; they are not
/// exclusions.
/// </summary>
/// <param name="EstimatedMonthsOfContinuousIsolation">Estimated duration of the current continuous isolation, in months.</param>
/// <param name="DaysOutOfHomePerWeek">On how many days a week the person goes out of the home (0-7).</param>
/// <param name="RarelyLeavesOneRoom">The person rarely leaves one room (severe).</param>
/// <param name="FunctionalImpairment">Significant functional impairment associated with the isolation (essential).</param>
/// <param name="Distress">Distress associated with the isolation (may be absent early).</param>
/// <param name="CoOccurringConditions">Co-occurring conditions, free text or codes.</param>
[GenerateSerializer, Immutable, Alias("hc.IsolationRecord")]
public sealed record IsolationRecord(
    double EstimatedMonthsOfContinuousIsolation,
    int DaysOutOfHomePerWeek,
    bool RarelyLeavesOneRoom,
    bool FunctionalImpairment,
    bool Distress,
    IReadOnlyList<string> CoOccurringConditions)
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (double.IsNaN(EstimatedMonthsOfContinuousIsolation) || double.IsInfinity(EstimatedMonthsOfContinuousIsolation) || EstimatedMonthsOfContinuousIsolation < 0)
            problems.Add($"estimatedMonthsOfContinuousIsolation must be 0 or more (got {EstimatedMonthsOfContinuousIsolation})");
        else if (EstimatedMonthsOfContinuousIsolation > 1200)
            problems.Add($"estimatedMonthsOfContinuousIsolation {EstimatedMonthsOfContinuousIsolation} is more than 100 years");
        if (DaysOutOfHomePerWeek is < 0 or > 7)
            problems.Add($"daysOutOfHomePerWeek must be 0-7 (got {DaysOutOfHomePerWeek})");
        if (RarelyLeavesOneRoom && DaysOutOfHomePerWeek > 1)
            problems.Add($"rarelyLeavesOneRoom contradicts going out {DaysOutOfHomePerWeek} days a week");
        if (CoOccurringConditions is null)
            problems.Add("coOccurringConditions is missing (send an empty list when there are none)");
        else if (CoOccurringConditions.Any(string.IsNullOrWhiteSpace))
            problems.Add("coOccurringConditions contains an empty entry");
        return problems;
    }
}

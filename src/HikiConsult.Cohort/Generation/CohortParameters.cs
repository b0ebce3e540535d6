using System.Text.Json;
using System.Text.Json.Serialization;

namespace HikiConsult.Cohort.Generation;

/// <summary>
/// What the synthetic cohort looks like (seeds/cohort/cohort.json, overridable on the command line). The same
/// parameters and seed always give the same cohort and the same plan of events.
/// </summary>
public sealed record CohortParameters
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public string Notice { get; init; } = "";

    public int Seed { get; init; } = 1;

    /// <summary>A Monday, 00:00 UTC: the first simulated week starts here. It lies ahead of the wall clock (see the evaluation notes).</summary>
    public DateTimeOffset Start { get; init; } = new(2030, 1, 7, 0, 0, 0, TimeSpan.Zero);

    public int Weeks { get; init; } = 8;

    public int SessionsPerWeek { get; init; } = 2;

    public int Counselors { get; init; } = 4;

    public int Deteriorating { get; init; } = 12;

    public int Stable { get; init; } = 24;

    public int Improving { get; init; } = 12;

    /// <summary>How long after a risk message the client's counselor acknowledges the alert (the server escalates after 5 minutes by default).</summary>
    public int AlertAcknowledgeDelayMinutes { get; init; } = 2;

    /// <summary>Clients driven at once within one simulated instant.</summary>
    public int Concurrency { get; init; } = 12;

    public IReadOnlyList<LanguageShare> Languages { get; init; } =
    [
        new("en", 0.4, ["Europe/London", "America/New_York"]),
        new("ja", 0.35, ["Asia/Tokyo"]),
        new("nl", 0.25, ["Europe/Amsterdam"]),
    ];

    public WeekRange OnsetWeek { get; init; } = new(1, 4);

    public SignalProbabilities SignalProbabilities { get; init; } = new();

    public DistractorProbabilities DistractorProbabilities { get; init; } = new();

    /// <summary>Chance that a stable client (or any client without a planned streak) misses a session.</summary>
    public double MissedSessionProbability { get; init; } = 0.08;

    public double CancelledSessionProbability { get; init; } = 0.04;

    /// <summary>The numbers of the synthetic model behind the trajectories, signs and confounders (defaults documented there).</summary>
    public CohortModel Model { get; init; } = new();

    public int Clients => Deteriorating + Stable + Improving;

    public static CohortParameters Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<CohortParameters>(stream, Json) ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>Problems that make a run meaningless; empty when the parameters are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Start.Offset != TimeSpan.Zero || Start.TimeOfDay != TimeSpan.Zero || Start.DayOfWeek != DayOfWeek.Monday)
        {
            problems.Add("start must be a Monday at 00:00 UTC");
        }

        if (Weeks is < 2 or > 26) problems.Add("weeks must be 2 to 26");
        if (SessionsPerWeek is < 1 or > 3) problems.Add("sessionsPerWeek must be 1 to 3");
        if (Counselors is < 1 or > 50) problems.Add("counselors must be 1 to 50");
        if (Deteriorating < 1) problems.Add("deteriorating must be at least 1 (precision@10 is measured against them)");
        if (Stable < 0 || Improving < 0) problems.Add("stable and improving must not be negative");
        if (Clients > 1000) problems.Add("at most 1000 clients");
        if (AlertAcknowledgeDelayMinutes is < 1 or > 24 * 60) problems.Add("alertAcknowledgeDelayMinutes must be 1 to 1440");
        if (Concurrency is < 1 or > 64) problems.Add("concurrency must be 1 to 64");
        if (OnsetWeek.Min < 1 || OnsetWeek.Max < OnsetWeek.Min) problems.Add("onsetWeek must have 1 <= min <= max");
        if (Languages.Count == 0 || Languages.Any(l => l.Weight <= 0 || l.TimeZones.Count == 0))
        {
            problems.Add("languages need a positive weight and at least one time zone each");
        }

        foreach (var zone in Languages.SelectMany(l => l.TimeZones))
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) problems.Add($"unknown time zone {zone}");
        }

        return problems;
    }
}

public sealed record LanguageShare(string Language, double Weight, IReadOnlyList<string> TimeZones);

public sealed record WeekRange(int Min, int Max);

/// <summary>Chance that a deteriorating client shows each warning sign (at least one is always shown).</summary>
public sealed record SignalProbabilities
{
    public double FallingEngagement { get; init; } = 0.6;
    public double NoShowStreak { get; init; } = 0.5;
    public double NightDrift { get; init; } = 0.35;
    public double RisingHq25 { get; init; } = 0.55;
    public double Phq9Item9 { get; init; } = 0.4;
    public double RiskMessage { get; init; } = 0.35;
    public double KatoProgression { get; init; } = 0.3;
}

/// <summary>Chance of each confounder in clients that are not deteriorating (what makes the task realistic).</summary>
public sealed record DistractorProbabilities
{
    /// <summary>Stable: always active at night (sleep-wake reversal without deterioration).</summary>
    public double NightOwl { get; init; } = 0.12;

    /// <summary>Stable: isolated 3 to under 6 months (pre-hikikomori, the early-consultation target) and staying so.</summary>
    public double StablePreHikikomori { get; init; } = 0.12;

    /// <summary>Stable or improving: writes a negated risk phrase ("I would never hurt myself").</summary>
    public double NegatedRiskPhrase { get; init; } = 0.25;

    /// <summary>Stable: one bad day, one hopelessness phrase (a true alert on a client who is not deteriorating).</summary>
    public double TransientHopelessness { get; init; } = 0.1;

    /// <summary>Stable: PHQ-9 item 9 answered 1 once.</summary>
    public double TransientPhq9Item9 { get; init; } = 0.08;

    /// <summary>Improving: misses the first two sessions, then comes.</summary>
    public double EarlyNoShows { get; init; } = 0.3;

    /// <summary>Improving: PHQ-9 item 9 answered 1 at the start, 0 later.</summary>
    public double EarlyPhq9Item9 { get; init; } = 0.4;
}

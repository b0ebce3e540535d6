using HikiConsult.Cohort.Generation;

namespace HikiConsult.Cohort.Driving;

/// <summary>What the harness observed of the running server during one cohort run.</summary>
public sealed class RunRecord
{
    public List<TriageRead> Reads { get; } = [];

    public List<AlertObservation> Alerts { get; } = [];

    /// <summary>Places where the server's answer differed from what the plan says it should be.</summary>
    public List<string> Mismatches { get; } = [];

    public RunCounters Counters { get; } = new();

    public TimeSpan SetupDuration { get; set; }

    public TimeSpan SimulationDuration { get; set; }

    public int ServerWarnings { get; set; }

    public int ServerErrors { get; set; }

    public int UnknownQueueEntries { get; set; }

    /// <summary>Times a staff token was refused after the clock moved and the harness signed in again.</summary>
    public int SignInsAgain { get; set; }

    /// <summary>Wall-clock seconds spent per phase of the simulation (moving the clock, playing events, waiting, reading).</summary>
    public Dictionary<string, double> PhaseSeconds { get; } = [];

    /// <summary>The server's warning and error lines (category and message), counted.</summary>
    public IReadOnlyDictionary<string, int> ServerProblems { get; set; } = new Dictionary<string, int>();

    public void Time(string phase, TimeSpan elapsed) =>
        PhaseSeconds[phase] = PhaseSeconds.GetValueOrDefault(phase) + elapsed.TotalSeconds;
}

/// <summary>
/// The triage queue as the supervisor read it at a simulated instant: after the actions of that instant
/// (<see cref="ReadKind.Events"/>) or at a day boundary, 00:00 UTC, after the server's daily refresh
/// (<see cref="ReadKind.Day"/>).
/// </summary>
public sealed record TriageRead(DateTimeOffset At, ReadKind Kind, IReadOnlyList<QueueEntry> Entries);

public enum ReadKind
{
    Events,
    Day,
}

/// <summary>One queue entry, in the server's order: the plan's client index (−1 for a client outside the cohort).</summary>
public sealed record QueueEntry(int Client, double Score, int ReasonCount, IReadOnlyList<string> Codes);

/// <summary>An alert the counselor acknowledged, matched to the planned message that raised it.</summary>
public sealed record AlertObservation(int Client, DateTimeOffset RaisedAt, DateTimeOffset AcknowledgedAt, string Category, string StatusBeforeAcknowledgement, MessageKind? PlannedAs);

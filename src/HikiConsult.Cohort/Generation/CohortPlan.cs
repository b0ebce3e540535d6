using System.Text.Json.Serialization;

namespace HikiConsult.Cohort.Generation;

/// <summary>Everything that will happen in the simulated weeks, decided up front from the seed.</summary>
public sealed record CohortPlan(CohortParameters Parameters, IReadOnlyList<PlannedClient> Clients, IReadOnlyList<PlannedAction> Actions)
{
    /// <summary>The server's clock starts here: two days before the first week, for accounts, clients and devices.</summary>
    public DateTimeOffset SetupAt => Parameters.Start.AddDays(-2);

    public DateTimeOffset End => Parameters.Start.AddDays(7 * Parameters.Weeks);
}

[JsonConverter(typeof(JsonStringEnumConverter<Trajectory>))]
public enum Trajectory
{
    Deteriorating,
    Stable,
    Improving,
}

/// <summary>Warning signs a deteriorating client can show (the ground truth the triage queue is scored against).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Signal>))]
public enum Signal
{
    FallingEngagement,
    NoShowStreak,
    NightDrift,
    RisingHq25,
    Phq9Item9,
    RiskMessage,
    KatoProgression,
}

/// <summary>Confounders of clients that are not deteriorating.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Distractor>))]
public enum Distractor
{
    NightOwl,
    StablePreHikikomori,
    NegatedRiskPhrase,
    TransientHopelessness,
    TransientPhq9Item9,
    EarlyNoShows,
    EarlyPhq9Item9,
}

/// <summary>One synthetic client. The alias carries no hint of the trajectory.</summary>
public sealed record PlannedClient(
    int Index,
    string Alias,
    Trajectory Trajectory,
    string Language,
    string TimeZone,
    int Counselor,
    int? OnsetWeek,
    IReadOnlyList<Signal> Signals,
    IReadOnlyList<Distractor> Distractors,
    IReadOnlyList<WarningSign> WarningSigns)
{
    /// <summary>The first moment the deterioration shows in anything the system receives; null for other trajectories.</summary>
    public DateTimeOffset? FirstWarningSign => WarningSigns.Count == 0 ? null : WarningSigns.Min(w => w.At);
}

/// <summary>The first time one warning sign shows, and how.</summary>
public sealed record WarningSign(Signal Signal, DateTimeOffset At, string What);

[JsonConverter(typeof(JsonStringEnumConverter<SessionOutcome>))]
public enum SessionOutcome
{
    Attended,
    NoShow,
    Cancelled,
}

[JsonConverter(typeof(JsonStringEnumConverter<MessageKind>))]
public enum MessageKind
{
    Neutral,
    Risk,
    TransientHopelessness,
    Negated,
    Counselor,
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PlannedSession), "session")]
[JsonDerivedType(typeof(PlannedAssessment), "assessment")]
[JsonDerivedType(typeof(PlannedIsolationRecord), "isolationRecord")]
public abstract record PlannedAction(DateTimeOffset At, int Client);

/// <summary>A session at a simulated instant; messages are in order, a C-SSRS screener follows a risk message.</summary>
public sealed record PlannedSession(
    DateTimeOffset At,
    int Client,
    SessionOutcome Outcome,
    bool AtNight,
    IReadOnlyList<PlannedMessage> Messages,
    PlannedAssessment? CounselorScreener) : PlannedAction(At, Client)
{
    public int ClientMessages => Messages.Count(m => m.Kind != MessageKind.Counselor);
}

public sealed record PlannedMessage(MessageKind Kind, string Text, string? Category = null);

/// <summary>An assessment: a self-report from the client's device, or one the counselor completes.</summary>
public sealed record PlannedAssessment(
    DateTimeOffset At,
    int Client,
    string Instrument,
    IReadOnlyList<int?> Answers,
    string CompletedBy,
    int? ExpectedTotal,
    string? ExpectedBand) : PlannedAction(At, Client);

/// <summary>A counselor's isolation record (Kato 2020 inputs) and the status the criteria give for it.</summary>
public sealed record PlannedIsolationRecord(
    DateTimeOffset At,
    int Client,
    double EstimatedMonthsOfContinuousIsolation,
    int DaysOutOfHomePerWeek,
    bool RarelyLeavesOneRoom,
    bool FunctionalImpairment,
    bool Distress,
    string ExpectedStatus) : PlannedAction(At, Client);

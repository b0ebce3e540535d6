using Orleans;

namespace HikiConsult.Contracts;

/// <summary>
/// A risk alert raised by the detector on a client or family message. Decision support for a counselor,
/// never a diagnosis. Pushed as <see cref="EarlyConsultationHubMethods.RiskAlert"/> and, when acknowledged or
/// escalated, as <see cref="EarlyConsultationHubMethods.AlertUpdated"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.RiskAlertDto")]
public sealed record RiskAlertDto(
    string AlertId,
    string ClientId,
    string ClientAlias,
    string SessionId,
    long Seq,
    string Category,
    string Language,
    IReadOnlyList<string> Evidence,
    DateTimeOffset CreatedAt,
    string Status,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? EscalatedAt,
    string Source,
    string Label = RiskAlertDto.DecisionSupportLabel)
{
    /// <summary>Every alert is labelled: it is evidence for a counselor, never a diagnosis.</summary>
    public const string DecisionSupportLabel = "Decision support, not a diagnosis";
}

public static class RiskAlertStatuses
{
    public const string Open = "open";
    public const string Escalated = "escalated";
    public const string Acknowledged = "acknowledged";
}

/// <summary>One reason a client stands where it does in the triage queue, in plain words with its data.</summary>
[GenerateSerializer, Immutable, Alias("hc.TriageReasonDto")]
public sealed record TriageReasonDto(string Code, string Text, double Weight, string Data);

[GenerateSerializer, Immutable, Alias("hc.TriageEntryDto")]
public sealed record TriageEntryDto(string ClientId, string ClientAlias, double Score, IReadOnlyList<TriageReasonDto> Reasons, DateTimeOffset UpdatedAt);

/// <summary>The triage queue, highest priority first. Pushed as <see cref="EarlyConsultationHubMethods.TriageUpdated"/>.</summary>
[GenerateSerializer, Immutable, Alias("hc.TriageQueueDto")]
public sealed record TriageQueueDto(IReadOnlyList<TriageEntryDto> Entries, DateTimeOffset UpdatedAt, string Label);

/// <summary>Counselor hub methods and pushes of the early consultation system.</summary>
public static class EarlyConsultationHubMethods
{
    /// <summary>Counselor → server: AcknowledgeAlert(alertId, note) → RiskAlertDto.</summary>
    public const string AcknowledgeAlert = "AcknowledgeAlert";

    public const string RiskAlert = "RiskAlert";
    public const string AlertUpdated = "AlertUpdated";
    public const string TriageUpdated = "TriageUpdated";
}

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
    string Label = RiskAlertDto.DecisionSupportLabel,
    string Level = RiskAlertLevels.None,
    string Pattern = RiskAlertDto.LexiconPattern)
{
    /// <summary>Every alert is labelled: it is evidence for a counselor, never a diagnosis.</summary>
    public const string DecisionSupportLabel = "Decision support, not a diagnosis";

    /// <summary>The <see cref="Pattern"/> of an alert raised by a keyword phrase that no concept pattern graded.</summary>
    public const string LexiconPattern = "lexicon";
}

/// <summary>
/// The C-SSRS-aligned level of a risk alert (Posner et al., Am J Psychiatry 2011): the highest step the message's words
/// show, with the concept pattern that showed it in <see cref="RiskAlertDto.Pattern"/> ("ja.wish-not-alive"), so a
/// counselor sees why. What the words show, for the counselor to ask about; never an assessment of the person.
/// </summary>
public static class RiskAlertLevels
{
    /// <summary>Not graded: a keyword phrase alone (pattern "lexicon"), or an alert stored before alerts had levels.</summary>
    public const string None = "none";
    /// <summary>Screener Q1: wish to be dead or not to wake up, hopelessness about living, being a burden.</summary>
    public const string WishToBeDead = "wishToBeDead";
    /// <summary>Screener Q2: thoughts of killing oneself (for self-harm: an urge).</summary>
    public const string ActiveIdeation = "activeIdeation";
    /// <summary>Screener Q3: a method or means thought of or looked up.</summary>
    public const string Method = "method";
    /// <summary>Screener Q4/Q5: intent, a plan, a time, a farewell announced.</summary>
    public const string IntentOrPlan = "intentOrPlan";
    /// <summary>Screener Q6: a preparatory act or self-harm behaviour.</summary>
    public const string Behaviour = "behaviour";
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

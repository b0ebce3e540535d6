using Orleans;
using Orleans.Concurrency;
using HikiConsult.Contracts;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Research;
using HikiConsult.Domain.Triage;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// What the early consultation system knows about one client (key: client id): open risk alerts with their
/// escalation deadline, the session-history analytics (updated event by event, never by rescanning), the
/// clinical records (assessments, Kato isolation records, research biomarkers) and the client's triage signals.
/// Callers have checked access; the grain checks the data.
/// </summary>
[Alias("hc.IClientEarlyConsultationGrain")]
public interface IClientEarlyConsultationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Raises (persists and pushes) an alert for one message; idempotent by (session, seq). Null when the client
    /// does not exist.
    /// </summary>
    Task<RiskAlertDto?> RaiseAlert(RiskAlertRequest request);

    /// <summary>
    /// Applies one event of one of the client's own sessions to the analytics (see <see cref="SessionEngagement"/>),
    /// once: an event at or below the seq already applied for its session is ignored, and one that arrives after a gap
    /// takes the events before it from the log first (one-way calls may be lost or arrive in any order).
    /// </summary>
    [OneWay]
    Task RecordSessionEvent(SessionEventDto sessionEvent);

    /// <summary>Acknowledges an open or escalated alert (idempotent).</summary>
    /// <exception cref="ConsultationRuleException">No such alert for this client (NotFound).</exception>
    Task<RiskAlertDto> AcknowledgeAlert(string alertId, string acknowledgedBy, string? note);

    /// <summary>Scores and keeps an assessment; updates analytics and triage.</summary>
    /// <exception cref="HikiConsult.Domain.Instruments.UnknownInstrumentException">Unknown instrument.</exception>
    /// <exception cref="HikiConsult.Domain.Instruments.AssessmentValidationException">Answers that cannot be scored; nothing is kept.</exception>
    Task<AssessmentRecord> SubmitAssessment(AssessmentSubmission submission);

    /// <summary>Classifies and keeps an isolation record; updates analytics and triage.</summary>
    /// <exception cref="HikiConsult.Domain.InvalidRecordException">The record is invalid; nothing is kept.</exception>
    Task<IsolationRecordEntry> RecordIsolation(IsolationRecord record, string recordedBy);

    /// <summary>Keeps a research biomarker record (never a triage input).</summary>
    /// <exception cref="HikiConsult.Domain.InvalidRecordException">The record is invalid; nothing is kept.</exception>
    Task<BiomarkerEntry> AddBiomarker(BiomarkerRecord record, string recordedBy);

    [ReadOnly]
    Task<IReadOnlyList<AssessmentRecord>> GetAssessments(int limit);

    [ReadOnly]
    Task<IReadOnlyList<IsolationRecordEntry>> GetIsolationRecords(int limit);

    [ReadOnly]
    Task<IReadOnlyList<BiomarkerEntry>> GetBiomarkers(int limit);

    /// <summary>The chart series of the session history, projected from the analytics state.</summary>
    [ReadOnly]
    Task<Timeline> GetTimeline();

    /// <summary>The client's current triage signals, for the clinic's triage grain; null for an unknown client.</summary>
    [ReadOnly]
    Task<TriageSubject?> GetTriageSubject();

    /// <summary>Activates the grain, which re-arms escalation deadlines of its open alerts (after a restart).</summary>
    Task Wake();

    /// <summary>
    /// Erasure of the client: deletes the state row, drops the escalation reminder and ends the activation without
    /// writing what it held back (its alerts and records are deleted by the caller).
    /// </summary>
    Task Erase();
}

/// <summary>A message that matched the risk lexicons. Carries the evidence spans, never the whole message.</summary>
[GenerateSerializer, Immutable, Alias("hc.RiskAlertRequest")]
public sealed record RiskAlertRequest(string SessionId, long Seq, DateTimeOffset At, string SenderRole, IReadOnlyList<RiskEvidence> Matches);

/// <summary>
/// One risk hit: its category, language and the span as written; the C-SSRS-aligned level and the concept pattern that
/// fired ("en.wish-not-alive", or "lexicon" for a keyword phrase alone). Category and level are camelCase wire names.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.RiskEvidence")]
public sealed record RiskEvidence(string Category, string Language, string Evidence, string Level = RiskAlertLevels.None, string Pattern = RiskAlertDto.LexiconPattern);

/// <summary>What triage needs of one client: the signals, and who may see the entry.</summary>
[GenerateSerializer, Immutable, Alias("hc.TriageSubject")]
public sealed record TriageSubject(string ClientId, string ClientAlias, IReadOnlyList<string> AssignedCounselorIds, ClientTriageInputs Inputs);

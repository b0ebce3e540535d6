namespace HikiConsult.Domain.Triage;

/// <summary>
/// One reason a client stands where it does in the queue: a code, plain words, the points it added and the data
/// behind it (e.g. "PHQ-9 item 9 answered 2 on 2026-11-20").
/// </summary>
public sealed record TriageReason(string Code, string Text, double Weight, string Data);

/// <summary>
/// A client's triage score with its reasons, highest weight first. <see cref="Critical"/> marks an acute safety
/// signal (unacknowledged high-risk alert or C-SSRS high); <see cref="EarlyConsultation"/> marks pre-hikikomori.
/// </summary>
public sealed record TriageResult(
    string ClientId,
    double Score,
    bool Critical,
    bool EarlyConsultation,
    IReadOnlyList<TriageReason> Reasons,
    DateTimeOffset ComputedAt,
    string Source,
    string Label);

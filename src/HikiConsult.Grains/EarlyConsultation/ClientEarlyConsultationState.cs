using System.Collections.Immutable;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Triage;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// Durable state of <see cref="ClientEarlyConsultationGrain"/>: the bounded analytics state and the latest
/// PHQ-9 item 9 answer. Alerts and clinical records are not here: they are rows in
/// <see cref="IEarlyConsultationStore"/>, which is the truth the grain reloads on activation.
/// </summary>
public sealed record ClientEarlyConsultationState
{
    /// <summary>Null until the first event for the client.</summary>
    public EngagementState? Engagement { get; init; }

    public ItemAnswerObservation? Phq9Item9 { get; init; }

    /// <summary>
    /// The client's own sessions that are not closed yet, each with the seq of the last event of its log that the
    /// analytics hold: after a restart the grain reads each log on from there, so message counts written behind are
    /// never lost. A session enters with a write at once and leaves with the write of its close. Null in a state
    /// written before these were kept.
    /// </summary>
    public ImmutableDictionary<string, long>? OpenSessions { get; init; }

    /// <summary>
    /// The client's sessions closed most recently (at most 64, oldest first), whose events the analytics hold in full:
    /// a catch-up never reads them again, even when the client's list still has one open. Null in a state written
    /// before these were kept.
    /// </summary>
    public ImmutableArray<string>? ClosedSessions { get; init; }
}

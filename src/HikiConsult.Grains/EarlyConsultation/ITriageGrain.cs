using Orleans;
using Orleans.Concurrency;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// The prioritised queue of one clinic (key: clinic id, <see cref="EarlyConsultationOptions.DefaultClinic"/>).
/// Updated incrementally: a client's grain sends its signals when they change; the queue rescores that client,
/// and pushes <c>TriageUpdated</c> when the client's entry changed. A timer rebuilds the queue from every
/// client's current signals once per <see cref="EarlyConsultationOptions.TriageRefreshPeriod"/> (and on activation),
/// so time-driven reasons move on without events.
/// </summary>
[Alias("hc.ITriageGrain")]
public interface ITriageGrain : IGrainWithStringKey
{
    [OneWay]
    Task Update(TriageSubject subject);

    /// <summary>Every entry with a score above zero, highest priority first, scored now.</summary>
    Task<TriageSnapshot> GetQueue();

    /// <summary>Rebuilds the queue from every client's current signals and pushes what changed.</summary>
    Task Refresh();
}

/// <summary>The ranked queue with, per entry, who may see it.</summary>
[GenerateSerializer, Immutable, Alias("hc.TriageSnapshot")]
public sealed record TriageSnapshot(IReadOnlyList<RankedTriageEntry> Entries, DateTimeOffset At, string Label);

[GenerateSerializer, Immutable, Alias("hc.RankedTriageEntry")]
public sealed record RankedTriageEntry(TriageEntryDto Entry, IReadOnlyList<string> AssignedCounselorIds, bool Critical, bool EarlyConsultation);

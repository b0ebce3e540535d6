using System.Globalization;
using System.Text;
using HikiConsult.Actors;
using HikiConsult.Contracts;
using HikiConsult.Domain;
using HikiConsult.Domain.Triage;
using HikiConsult.Grains.Clients;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// Holds the latest triage signals of every client of the clinic and scores them with the configured weights at the
/// time of asking, so alert age and days without contact are always current. It keeps no state of its own: the
/// client grains are the truth, and the queue is rebuilt from them on activation and on every refresh tick.
/// </summary>
[GrainType("triage")]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed partial class TriageGrain(
    IClientDirectory directory,
    IOptions<TriageWeights> weights,
    IOptions<EarlyConsultationOptions> options,
    TimeProvider time,
    ILogger<TriageGrain> logger) : Grain, ITriageGrain
{
    public static readonly string QueueLabel = $"{DecisionSupport.Label}. Source: {TriageScorer.Source}";

    private readonly Dictionary<string, TriageSubject> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);

    /// <summary>Per client, the entry as last shown (pushed or built), to push only what changed.</summary>
    private readonly Dictionary<string, string> _shown = new(StringComparer.Ordinal);

    private IGrainTimer? _refreshTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await RebuildAsync(push: false);
        var period = options.Value.TriageRefreshPeriod;
        _refreshTimer = RegisterGrainTimer(_ => RebuildAsync(push: true), new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _refreshTimer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task Update(TriageSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var now = time.GetUtcNow();
        var previous = _subjects.GetValueOrDefault(subject.ClientId);
        _subjects[subject.ClientId] = subject;
        _changedAt[subject.ClientId] = now;
        await PushChangesAsync(now, previous is null ? [] : previous.AssignedCounselorIds);
    }

    public Task<TriageSnapshot> GetQueue() => Task.FromResult(Snapshot(time.GetUtcNow()).Snapshot);

    public Task Refresh() => RebuildAsync(push: true);

    private async Task RebuildAsync(bool push)
    {
        var started = time.GetUtcNow();
        var startedTimestamp = time.GetTimestamp();
        var ids = await directory.ListAsync();
        var results = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return (Id: id, Subject: await GrainFactory.GetGrain<IClientEarlyConsultationGrain>(id).GetTriageSubject(), Failed: false);
            }
            catch (Exception ex)
            {
                // One client that cannot answer keeps its last known entry; the rest of the queue moves on.
                SubjectFailed(logger, id, ex.GetType().Name);
                return (Id: id, Subject: (TriageSubject?)null, Failed: true);
            }
        }));

        var formerAssignments = _subjects.Values.SelectMany(s => s.AssignedCounselorIds).ToArray();
        var known = new HashSet<string>(ids, StringComparer.Ordinal);
        foreach (var gone in _subjects.Keys.Where(id => !known.Contains(id)).ToArray())
        {
            _subjects.Remove(gone);
        }

        foreach (var (id, subject, failed) in results)
        {
            if (subject is not null)
            {
                _subjects[id] = subject;
                _changedAt.TryAdd(id, started);
            }
            else if (!failed)
            {
                _subjects.Remove(id);
            }
        }

        var now = time.GetUtcNow();
        if (push)
        {
            await PushChangesAsync(now, formerAssignments);
        }
        else
        {
            var (_, shown) = Snapshot(now);
            _shown.Clear();
            foreach (var (id, signature) in shown)
            {
                _shown[id] = signature;
            }
        }

        QueueRebuilt(logger, _subjects.Count, time.GetElapsedTime(startedTimestamp).TotalMilliseconds);
    }

    /// <summary>
    /// Pushes the queue when any entry differs from what was last shown: the whole queue to supervisors, and to every
    /// counselor of a changed entry (old or new assignment) their own part of it.
    /// </summary>
    private async Task PushChangesAsync(DateTimeOffset now, IEnumerable<string> formerCounselors)
    {
        var (snapshot, shown) = Snapshot(now);
        var changed = shown.Where(kv => !_shown.TryGetValue(kv.Key, out var before) || before != kv.Value).Select(kv => kv.Key)
            .Concat(_shown.Keys.Where(id => !shown.ContainsKey(id)))
            .ToHashSet(StringComparer.Ordinal);
        _shown.Clear();
        foreach (var (id, signature) in shown)
        {
            _shown[id] = signature;
        }

        if (changed.Count == 0)
        {
            return;
        }

        var counselors = new HashSet<string>(formerCounselors, StringComparer.Ordinal);
        foreach (var id in changed)
        {
            if (_subjects.TryGetValue(id, out var subject))
            {
                counselors.UnionWith(subject.AssignedCounselorIds);
            }
        }

        var all = new TriageQueueDto([.. snapshot.Entries.Select(e => e.Entry)], snapshot.At, snapshot.Label);
        var byCounselor = counselors.ToDictionary(
            c => c,
            c => new TriageQueueDto([.. snapshot.Entries.Where(e => e.AssignedCounselorIds.Contains(c)).Select(e => e.Entry)], snapshot.At, snapshot.Label),
            StringComparer.Ordinal);
        await GrainFactory.GetGrain<IEarlyConsultationNotifierGrain>(this.GetPrimaryKeyString()).PublishTriage(all, byCounselor);
    }

    /// <summary>Scores every client now; entries with a score above zero, highest first, and a signature per entry.</summary>
    private (TriageSnapshot Snapshot, Dictionary<string, string> Signatures) Snapshot(DateTimeOffset now)
    {
        var w = weights.Value;
        var scored = _subjects.Values
            .Select(s => (Subject: s, Result: TriageScorer.Score(s.Inputs, w, now)))
            .Where(x => x.Result.Score > 0)
            .ToDictionary(x => x.Subject.ClientId, StringComparer.Ordinal);
        var ranked = TriageScorer.Rank(scored.Values.Select(x => x.Result));
        var entries = new List<RankedTriageEntry>(ranked.Count);
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in ranked)
        {
            var subject = scored[result.ClientId].Subject;
            var entry = new TriageEntryDto(
                result.ClientId,
                subject.ClientAlias,
                result.Score,
                [.. result.Reasons.Select(r => new TriageReasonDto(r.Code, r.Text, Math.Round(r.Weight, 1), r.Data))],
                _changedAt.GetValueOrDefault(result.ClientId, now));
            entries.Add(new RankedTriageEntry(entry, subject.AssignedCounselorIds, result.Critical, result.EarlyConsultation));
            signatures[result.ClientId] = Signature(entry, subject.AssignedCounselorIds);
        }

        return (new TriageSnapshot(entries, now, QueueLabel), signatures);
    }

    private static string Signature(TriageEntryDto entry, IReadOnlyList<string> counselors)
    {
        var text = new StringBuilder();
        text.Append(entry.ClientAlias).Append('|').AppendJoin(',', counselors).Append('|')
            .Append(entry.Score.ToString("F1", CultureInfo.InvariantCulture)).Append('|');
        foreach (var r in entry.Reasons)
        {
            text.Append(r.Code).Append(':').Append(r.Text).Append(':').Append(r.Data).Append(';');
        }

        return text.ToString();
    }

    [LoggerMessage(1, LogLevel.Information, "Triage queue rebuilt from {Clients} clients in {Milliseconds:0} ms")]
    private static partial void QueueRebuilt(ILogger logger, int clients, double milliseconds);

    [LoggerMessage(2, LogLevel.Warning, "Triage signals of client {ClientId} could not be read ({ErrorType}); keeping the last known ones")]
    private static partial void SubjectFailed(ILogger logger, string clientId, string errorType);
}

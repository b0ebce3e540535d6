using System.Globalization;
using System.Text;
using Orleans;
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
/// client grains are the truth, and the queue is rebuilt from them on activation and on every refresh tick. The tick
/// is a grain timer while the grain is active; a reminder with the same period brings the grain back (and so the
/// rebuild and the timer) after the silo that held it was lost.
/// </summary>
[GrainType("triage")]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed partial class TriageGrain(
    IClientDirectory directory,
    IOptions<TriageWeights> weights,
    IOptions<EarlyConsultationOptions> options,
    TimeProvider time,
    ILogger<TriageGrain> logger) : Grain, ITriageGrain, IRemindable
{
    /// <summary>The reminder that keeps the daily refresh going across the loss of a silo.</summary>
    public const string RefreshReminder = "refresh";

    public static readonly string QueueLabel = $"{DecisionSupport.Label}. Source: {TriageScorer.Source}";

    private readonly Dictionary<string, TriageSubject> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);

    /// <summary>Per client with a score above zero, the entry as last shown (pushed or built), ranked in <see cref="_ranked"/>.</summary>
    private readonly Dictionary<string, ShownEntry> _shown = new(StringComparer.Ordinal);
    private readonly SortedSet<ShownEntry> _ranked = new(Comparer<ShownEntry>.Create(static (a, b) => TriageScorer.RankOrder.Compare(a.Result, b.Result)));

    private IGrainTimer? _refreshTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await RebuildAsync(push: false);
        var period = options.Value.TriageRefreshPeriod;
        _refreshTimer = this.RegisterGrainTimer(_ => RebuildAsync(push: true), new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        await this.RegisterOrUpdateReminder(RefreshReminder, period, period);
    }

    // The activation that the reminder caused has rebuilt the queue and started the timer: nothing more to do.
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

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

        // Only this client is re-scored: updates come every few seconds per active client (message activity written
        // behind), and re-scoring the whole clinic each time would cost the relay more than the messages themselves.
        // Other entries move with time on the refresh tick, and GetQueue always scores everyone now.
        var fresh = Score(subject, now);
        var before = _shown.GetValueOrDefault(subject.ClientId);
        if (fresh?.Signature == before?.Signature)
        {
            return;
        }

        Show(subject.ClientId, fresh);
        var counselors = new HashSet<string>(subject.AssignedCounselorIds, StringComparer.Ordinal);
        counselors.UnionWith(previous?.AssignedCounselorIds ?? []);
        await PublishAsync(now, counselors);
    }

    public Task<TriageSnapshot> GetQueue() => Task.FromResult(Snapshot(time.GetUtcNow()));

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
        var counselors = new HashSet<string>(formerAssignments, StringComparer.Ordinal);
        var changed = false;
        foreach (var id in _shown.Keys.Where(id => !_subjects.ContainsKey(id)).ToArray())
        {
            Show(id, null);
            changed = true;
        }

        foreach (var subject in _subjects.Values)
        {
            var fresh = Score(subject, now);
            if (fresh?.Signature != _shown.GetValueOrDefault(subject.ClientId)?.Signature)
            {
                Show(subject.ClientId, fresh);
                counselors.UnionWith(subject.AssignedCounselorIds);
                changed = true;
            }
        }

        if (push && changed)
        {
            await PublishAsync(now, counselors);
        }

        QueueRebuilt(logger, _subjects.Count, time.GetElapsedTime(startedTimestamp).TotalMilliseconds);
    }

    /// <summary>Pushes the queue as shown: all of it to supervisors, and to each given counselor their own part of it.</summary>
    private Task PublishAsync(DateTimeOffset now, IReadOnlySet<string> counselors)
    {
        var all = new TriageQueueDto([.. _ranked.Select(e => e.Ranked.Entry)], now, QueueLabel);
        var byCounselor = counselors.ToDictionary(
            c => c,
            c => new TriageQueueDto([.. _ranked.Where(e => e.Ranked.AssignedCounselorIds.Contains(c)).Select(e => e.Ranked.Entry)], now, QueueLabel),
            StringComparer.Ordinal);
        return GrainFactory.GetGrain<IEarlyConsultationNotifierGrain>(this.GetPrimaryKeyString()).PublishTriage(all, byCounselor);
    }

    private void Show(string clientId, ShownEntry? entry)
    {
        if (_shown.Remove(clientId, out var before))
        {
            _ranked.Remove(before);
        }

        if (entry is not null)
        {
            _shown[clientId] = entry;
            _ranked.Add(entry);
        }
    }

    /// <summary>The client's entry scored now; null when its score is zero (not in the queue).</summary>
    private ShownEntry? Score(TriageSubject subject, DateTimeOffset now)
    {
        var result = TriageScorer.Score(subject.Inputs, weights.Value, now);
        if (result.Score <= 0)
        {
            return null;
        }

        var entry = ToEntry(result, subject, now);
        return new ShownEntry(new RankedTriageEntry(entry, subject.AssignedCounselorIds, result.Critical, result.EarlyConsultation), result, Signature(entry, subject.AssignedCounselorIds));
    }

    /// <summary>Scores every client now; entries with a score above zero, highest first.</summary>
    private TriageSnapshot Snapshot(DateTimeOffset now)
    {
        var entries = _subjects.Values.Select(s => Score(s, now)).OfType<ShownEntry>().Order(_ranked.Comparer).Select(e => e.Ranked).ToArray();
        return new TriageSnapshot(entries, now, QueueLabel);
    }

    private TriageEntryDto ToEntry(TriageResult result, TriageSubject subject, DateTimeOffset now) => new(
        result.ClientId,
        subject.ClientAlias,
        result.Score,
        [.. result.Reasons.Select(r => new TriageReasonDto(r.Code, r.Text, Math.Round(r.Weight, 1), r.Data))],
        _changedAt.GetValueOrDefault(result.ClientId, now));

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

    /// <summary>One client's entry as shown, with the result it was ranked by and a signature to tell changes.</summary>
    private sealed record ShownEntry(RankedTriageEntry Ranked, TriageResult Result, string Signature);
}

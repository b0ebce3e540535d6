using System.Diagnostics;
using System.Text.Json;
using HikiConsult.Client.Transport;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Holds a counselor and a device hub connection per session of one target and drives load phases through them:
/// an open-loop phase at a fixed total rate (sends are issued on schedule whether or not earlier ones were
/// answered, so a slow server shows up as latency rather than as a lower rate), and a closed-loop phase where
/// every connection sends as soon as its previous send was acknowledged (the ceiling). Against a target that detects
/// risk, every phase also follows the <c>RiskAlert</c> pushes: in the open loop a share of the devices' messages
/// carries a risk phrase, and every alert is matched to its message (or counted as a false alert).
/// </summary>
public sealed class LoadRunner : IAsyncDisposable
{
    private readonly LoadTarget _target;
    private readonly Participant[] _participants;
    private readonly Func<TimeSpan>? _targetCpu;
    private readonly Func<CancellationToken, Task<RuntimeReading>>? _targetRuntime;
    private readonly Func<TimeSpan>? _databaseCpu;
    private PhaseTracker? _phase;
    private long _connectionsLost;
    private int _runs;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _otherPushes = new(StringComparer.Ordinal);

    /// <summary>Pushes other than session events received so far, by hub method (state changes, triage, alerts).</summary>
    public IReadOnlyDictionary<string, long> OtherPushes => new Dictionary<string, long>(_otherPushes);

    private LoadRunner(
        LoadTarget target, Participant[] participants, Func<TimeSpan>? targetCpu, Func<CancellationToken, Task<RuntimeReading>>? targetRuntime, Func<TimeSpan>? databaseCpu)
    {
        _target = target;
        _participants = participants;
        _targetCpu = targetCpu;
        _targetRuntime = targetRuntime;
        _databaseCpu = databaseCpu;
    }

    public int Connections => _participants.Length;

    public string Name => _target.Name;

    /// <summary>Reads the CPU time of the target's processes, when they are watched.</summary>
    public Func<TimeSpan>? TargetCpu => _targetCpu;

    /// <summary>Reads the CPU time of the target's database server, when it is watched.</summary>
    public Func<TimeSpan>? DatabaseCpu => _databaseCpu;

    /// <param name="targetCpu">Reads the CPU time of the target's process, when the target runs in its own process.</param>
    /// <param name="targetRuntime">Reads the target process's runtime counters (garbage collection), when it offers them.</param>
    /// <param name="databaseCpu">Reads the CPU time of a database server the target uses, when it runs in processes of its own.</param>
    public static async Task<LoadRunner> ConnectAsync(
        LoadTarget target,
        int parallelism,
        TextWriter log,
        CancellationToken cancellationToken,
        Func<TimeSpan>? targetCpu = null,
        Func<CancellationToken, Task<RuntimeReading>>? targetRuntime = null,
        Func<TimeSpan>? databaseCpu = null)
    {
        var participants = new Participant[target.Sessions.Count * 2];
        for (var i = 0; i < target.Sessions.Count; i++)
        {
            var session = target.Sessions[i];
            participants[2 * i] = new Participant(session.SessionId, isCounselor: true);
            participants[(2 * i) + 1] = new Participant(session.SessionId, isCounselor: false);
        }

        var runner = new LoadRunner(target, participants, targetCpu, targetRuntime, databaseCpu);
        var started = Stopwatch.StartNew();
        var connected = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, participants.Length),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var session = target.Sessions[index / 2];
                var participant = participants[index];
                await runner.ConnectAsync(participant, participant.IsCounselor ? session.CounselorToken : session.DeviceToken, ct);
                var done = Interlocked.Increment(ref connected);
                if (done % 500 == 0)
                {
                    await log.WriteLineAsync($"  {target.Name}: {done}/{participants.Length} connections joined ({started.Elapsed.TotalSeconds:0.0} s)");
                }
            });
        return runner;
    }

    /// <summary>
    /// Sends <paramref name="ratePerSecond"/> messages per second in total, alternating counselor and device in each
    /// session; if the target detects risk, <paramref name="riskShare"/> of the device messages carry a risk phrase.
    /// </summary>
    public async Task<PhaseResult> RunOpenLoopAsync(double ratePerSecond, TimeSpan warmup, TimeSpan duration, TimeSpan drainStall, double riskShare, CancellationToken cancellationToken)
    {
        var total = warmup + duration;
        var capacity = (int)Math.Min(int.MaxValue - 1, (ratePerSecond * total.TotalSeconds * 1.05) + 1000);
        var phase = BeginPhase(capacity, riskShare);
        riskShare = phase.Alerts?.Share ?? 0;
        var sessions = _target.Sessions.Count;
        var meters = await StartMetersAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        var origin = Stopwatch.GetTimestamp();
        var measureStart = origin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var lagMaxTicks = 0L;

        // A dedicated thread keeps the schedule; Sleep(1) bounds the burst size without spinning a core.
        await Task.Factory.StartNew(
            () =>
            {
                long issued = 0;
                long riskSent = 0;
                var riskCredit = 0.0;
                while (clock.Elapsed < total && !cancellationToken.IsCancellationRequested)
                {
                    var due = (long)(ratePerSecond * clock.Elapsed.TotalSeconds);
                    if (due > issued + 1)
                    {
                        var dueAt = origin + (long)((issued + 1) / ratePerSecond * Stopwatch.Frequency);
                        lagMaxTicks = Math.Max(lagMaxTicks, Stopwatch.GetTimestamp() - dueAt);
                    }

                    while (issued < due)
                    {
                        var id = phase.NextId();
                        if (id < 0)
                        {
                            return;
                        }

                        var session = (int)(issued % sessions);
                        var round = issued / sessions;
                        var fromCounselor = ((round + session) & 1) == 0;

                        // Exactly the share, spread evenly: every 1/share-th device message carries a phrase.
                        string? riskPhrase = null;
                        if (!fromCounselor && riskShare > 0 && (riskCredit += riskShare) >= 1)
                        {
                            riskCredit -= 1;
                            riskPhrase = RiskPhrases.For(riskSent++);
                        }

                        _ = SendAsync(phase, _participants[(2 * session) + (fromCounselor ? 0 : 1)], id, riskPhrase);
                        issued++;
                    }

                    Thread.Sleep(1);
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var measureEnd = Stopwatch.GetTimestamp();
        return await EndPhaseAsync(phase, meters, $"open loop {ratePerSecond:0}/s", ratePerSecond, measureStart, measureEnd, LatencySummary.ToMs(lagMaxTicks), drainStall, cancellationToken);
    }

    /// <summary>Every connection sends, awaits the ack, sends again: the highest relay rate the target sustains.</summary>
    public async Task<PhaseResult> RunClosedLoopAsync(TimeSpan warmup, TimeSpan duration, TimeSpan drainStall, int maxMessagesPerSecond, CancellationToken cancellationToken)
    {
        var total = warmup + duration;
        var phase = BeginPhase((int)Math.Min(int.MaxValue - 1, ((long)maxMessagesPerSecond * (long)Math.Ceiling(total.TotalSeconds)) + 1000), riskShare: 0);
        var meters = await StartMetersAsync(cancellationToken);
        var origin = Stopwatch.GetTimestamp();
        var measureStart = origin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = origin + (long)(total.TotalSeconds * Stopwatch.Frequency);

        await Task.WhenAll(_participants.Select(async participant =>
        {
            await Task.Yield();
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var id = phase.NextId();
                if (id < 0)
                {
                    return;
                }

                if (!await SendAsync(phase, participant, id, riskPhrase: null))
                {
                    // Refused (e.g. the per-connection rate limit) or the connection is gone: back off briefly.
                    await Task.Delay(50, cancellationToken);
                }
            }
        }));

        var measureEnd = Math.Min(Stopwatch.GetTimestamp(), stopAt);
        return await EndPhaseAsync(phase, meters, "closed loop (ceiling)", double.NaN, measureStart, measureEnd, generatorLagMaxMs: 0, drainStall, cancellationToken);
    }

    /// <summary>Reads every counter a phase reports as a difference (connections lost, both processes' collections, CPU).</summary>
    private async Task<PhaseMeters> StartMetersAsync(CancellationToken cancellationToken) => new(
        Interlocked.Read(ref _connectionsLost),
        await ReadRuntimeAsync(cancellationToken),
        RuntimeReading.OfThisProcess(),
        CpuMeter.Start(_targetCpu, _databaseCpu));

    /// <summary>Drains the phase, then reads the counters again and summarizes it.</summary>
    private async Task<PhaseResult> EndPhaseAsync(
        PhaseTracker phase, PhaseMeters start, string name, double offeredPerSecond, long measureStart, long measureEnd, double generatorLagMaxMs, TimeSpan drainStall, CancellationToken cancellationToken)
    {
        var drained = await DrainAsync(phase, drainStall, cancellationToken);
        var cost = start.Cpu.Read();
        var targetRuntime = start.TargetRuntime is null ? null : RuntimeCost.Between(start.TargetRuntime, (await ReadRuntimeAsync(cancellationToken))!, cost.WallMs);
        var toolRuntime = RuntimeCost.Between(start.ToolRuntime, RuntimeReading.OfThisProcess(), cost.WallMs);
        return phase.Summarize(
            _target.Name,
            name,
            Connections,
            offeredPerSecond,
            measureStart,
            measureEnd,
            Interlocked.Read(ref _connectionsLost) - start.ConnectionsLost,
            generatorLagMaxMs,
            drained,
            cost) with { Runtime = targetRuntime, ToolRuntime = toolRuntime };
    }

    private async Task<RuntimeReading?> ReadRuntimeAsync(CancellationToken cancellationToken) =>
        _targetRuntime is null ? null : await _targetRuntime(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _phase, null);
        await Parallel.ForEachAsync(
            _participants.Where(p => p.Hub is not null),
            new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (participant, _) =>
            {
                participant.Disposing = true;
                try
                {
                    await participant.Hub!.DisposeAsync();
                }
                catch (Exception)
                {
                    // Closing at the end of a run; the target may already be gone.
                }
            });
    }

    /// <param name="riskShare">Share of device messages with a risk phrase; alerts are followed (false ones counted) even at 0.</param>
    private PhaseTracker BeginPhase(int capacity, double riskShare)
    {
        RiskAlertMatcher? alerts = null;
        if (_target.DetectsRisk)
        {
            // Alerts for messages up to here belong to an earlier phase.
            var seqBefore = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var counselor in _participants.Where(p => p.IsCounselor))
            {
                lock (counselor)
                {
                    seqBefore[counselor.SessionId] = counselor.LastSeq;
                }
            }

            alerts = new RiskAlertMatcher(riskShare, seqBefore);
        }

        var phase = new PhaseTracker(Interlocked.Increment(ref _runs), capacity, alerts);
        Volatile.Write(ref _phase, phase);
        return phase;
    }

    private static async Task<bool> SendAsync(PhaseTracker phase, Participant participant, long id, string? riskPhrase)
    {
        var text = phase.TextFor(id, participant.IsCounselor, riskPhrase);
        var request = new SendRequest($"{phase.Run}-{id}", EventKinds.Text, JsonSerializer.SerializeToElement(new TextBody(text), LoadJson.Default.TextBody));
        var sentAt = phase.MarkSending(id);
        if (riskPhrase is not null)
        {
            phase.Alerts?.Sent(id, participant.SessionId, sentAt);
        }

        try
        {
            var ack = await participant.Hub!.InvokeAsync<SendAck>(HubMethods.Send, participant.SessionId, request);

            // Owed an alert before the send counts as settled, so a drain cannot end in between.
            if (riskPhrase is not null)
            {
                phase.Alerts?.Acknowledged(id, ack.Seq);
            }

            phase.MarkAcked(id);
            return true;
        }
        catch (Exception ex)
        {
            phase.MarkFailed(id, ex);
            return false;
        }
    }

    /// <summary>
    /// Waits until every acknowledged message has arrived and no send is outstanding; gives up only when nothing
    /// has moved for <paramref name="stallTimeout"/> (or after 3 minutes), so a slow target is reported as slow,
    /// not as losing messages. Returns the seconds waited.
    /// </summary>
    private static async Task<double> DrainAsync(PhaseTracker phase, TimeSpan stallTimeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        var lowest = long.MaxValue;
        while (waited.Elapsed < TimeSpan.FromMinutes(3))
        {
            var unsettled = phase.Unsettled();
            if (unsettled == 0)
            {
                break;
            }

            if (unsettled < lowest)
            {
                lowest = unsettled;
                lastProgress = waited.Elapsed;
            }
            else if (waited.Elapsed - lastProgress > stallTimeout)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        return waited.Elapsed.TotalSeconds;
    }

    private async Task ConnectAsync(Participant participant, string? token, CancellationToken cancellationToken)
    {
        var path = participant.IsCounselor ? HubPaths.Counselor : HubPaths.Avatar;
        var hub = new HubConnectionBuilder()
            .WithHikiConsultUrl(new Uri(_target.BaseAddress, path), o =>
            {
                o.AccessTokenProvider = _ => ValueTask.FromResult(token);
                o.SendTokenInQuery = false;
            })
            .Build();
        hub.ServerTimeout = TimeSpan.FromSeconds(60);
        hub.KeepAliveInterval = TimeSpan.FromSeconds(15);
        hub.On<SessionEventDto>(HubMethods.SessionEvent, item => OnEvent(participant, item));
        foreach (var method in new[] { HubMethods.SessionState, EarlyConsultationHubMethods.TriageUpdated, EarlyConsultationHubMethods.RiskAlert, EarlyConsultationHubMethods.AlertUpdated })
        {
            // Counted: what else the server sends costs the clients time, and the report says so. Only alerts are
            // parsed (on counselor connections), to match them to the risk messages.
            hub.On(method, [typeof(JsonElement)], (arguments, _) =>
            {
                if (method == EarlyConsultationHubMethods.RiskAlert && participant.IsCounselor)
                {
                    OnRiskAlert(participant, arguments);
                }

                _otherPushes.AddOrUpdate(method, 1, (_, n) => n + 1);
                return Task.CompletedTask;
            }, method);
        }

        hub.Closed += _ =>
        {
            if (!participant.Disposing)
            {
                Interlocked.Increment(ref _connectionsLost);
            }

            return Task.CompletedTask;
        };
        participant.Hub = hub;

        await hub.StartAsync(cancellationToken);
        var joined = await hub.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, participant.SessionId, 0L, cancellationToken);
        if (joined.Events.Count > 0)
        {
            lock (participant)
            {
                participant.LastSeq = Math.Max(participant.LastSeq, joined.Events.Max(e => e.Seq));
            }
        }
    }

    private void OnEvent(Participant participant, SessionEventDto item)
    {
        var phase = Volatile.Read(ref _phase);
        lock (participant)
        {
            // Pushes on one connection must come in seq order, each seq once, without holes.
            var last = participant.LastSeq;
            if (last > 0 && item.Seq <= last)
            {
                phase?.OnOrderViolation();
            }
            else if (last > 0 && item.Seq > last + 1)
            {
                phase?.OnSeqGap();
            }

            participant.LastSeq = Math.Max(last, item.Seq);
        }

        if (phase is not null && PhaseTracker.IsLoadMessage(item)
            && item.Body.ValueKind == JsonValueKind.Object
            && item.Body.TryGetProperty("text", out var text) && text.GetString() is { } value)
        {
            var id = phase.OnReceived(participant.IsCounselor, value);
            if (id >= 0 && participant.IsCounselor)
            {
                // The relayed copy may tell a risk message's seq before its ack does.
                phase.Alerts?.Relayed(id, item.Seq);
            }
        }
    }

    /// <summary>
    /// A counselor connection receives the alerts of its counselor's whole caseload; only the copy on the alerted
    /// session's own connection is matched, so each alert is counted once.
    /// </summary>
    private void OnRiskAlert(Participant participant, object?[] arguments)
    {
        var at = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _phase)?.Alerts is not { } alerts
            || arguments is not [JsonElement { ValueKind: JsonValueKind.Object } alert]
            || !alert.TryGetProperty("sessionId", out var sessionId) || !sessionId.ValueEquals(participant.SessionId)
            || !alert.TryGetProperty("seq", out var seq) || !seq.TryGetInt64(out var value))
        {
            return;
        }

        alerts.AlertReceived(participant.SessionId, value, at);
    }

    /// <summary>The counters read when a phase starts.</summary>
    private sealed record PhaseMeters(long ConnectionsLost, RuntimeReading? TargetRuntime, RuntimeReading ToolRuntime, CpuMeter Cpu);

    private sealed class Participant(string sessionId, bool isCounselor)
    {
        public string SessionId { get; } = sessionId;

        public bool IsCounselor { get; } = isCounselor;

        public HubConnection? Hub { get; set; }

        public long LastSeq { get; set; }

        public volatile bool Disposing;
    }
}

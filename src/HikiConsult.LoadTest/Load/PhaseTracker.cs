using System.Collections.Concurrent;
using System.Diagnostics;
using HikiConsult.Contracts;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Bookkeeping of one phase: per message id when it was sent, acknowledged and first received by the other
/// party, and how often it arrived there. Plain arrays indexed by id keep the hot path to a few interlocked writes.
/// Message texts are "{run}:{c|d}{id}" (c = sent by the counselor, d = by the device), followed by " {phrase}" in
/// a risk message; risk messages are also followed to their alerts by <see cref="Alerts"/>.
/// </summary>
internal sealed class PhaseTracker
{
    private const byte Pending = 1;
    private const byte Acked = 2;
    private const byte Failed = 3;

    /// <summary>Length of a <see cref="LatencyBucket"/>.</summary>
    public const double BucketSeconds = 0.25;

    private readonly long[] _sentAt;
    private readonly long[] _ackAt;
    private readonly long[] _firstReceivedAt;
    private readonly int[] _receipts;
    private readonly byte[] _state;
    private readonly ConcurrentDictionary<string, long> _errorKinds = new(StringComparer.Ordinal);
    private long _nextId;
    private long _inFlight;
    private long _duplicates;
    private long _orderViolations;
    private long _seqGaps;

    public PhaseTracker(int run, int capacity, RiskAlertMatcher? alerts = null)
    {
        Run = run;
        Capacity = capacity;
        Alerts = alerts;
        _sentAt = new long[capacity];
        _ackAt = new long[capacity];
        _firstReceivedAt = new long[capacity];
        _receipts = new int[capacity];
        _state = new byte[capacity];
    }

    public int Run { get; }

    public int Capacity { get; }

    /// <summary>Follows the phase's risk messages to their alerts; null when the phase sends none and expects none.</summary>
    public RiskAlertMatcher? Alerts { get; }

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Issued => Math.Min(Interlocked.Read(ref _nextId), Capacity);

    /// <summary>Reserves the next message id, or -1 when the phase's capacity is used up.</summary>
    public long NextId()
    {
        var id = Interlocked.Increment(ref _nextId) - 1;
        return id < Capacity ? id : -1;
    }

    public string TextFor(long id, bool fromCounselor) => Text(Run, id, fromCounselor, null);

    /// <summary>The text of a message that carries <paramref name="riskPhrase"/> after its name.</summary>
    public string TextFor(long id, bool fromCounselor, string? riskPhrase) => Text(Run, id, fromCounselor, riskPhrase);

    /// <summary>A load message's text: its run and name, and the risk phrase if it carries one.</summary>
    public static string Text(int run, long id, bool fromCounselor, string? riskPhrase) =>
        riskPhrase is null ? $"{run}:{(fromCounselor ? 'c' : 'd')}{id}" : $"{run}:{(fromCounselor ? 'c' : 'd')}{id} {riskPhrase}";

    /// <summary>Returns the Stopwatch timestamp recorded as the message's send time.</summary>
    public long MarkSending(long id)
    {
        var now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _sentAt[id], now);
        _state[id] = Pending;
        Interlocked.Increment(ref _inFlight);
        return now;
    }

    public void MarkAcked(long id)
    {
        _ackAt[id] = Stopwatch.GetTimestamp();
        Volatile.Write(ref _state[id], Acked);
        Interlocked.Decrement(ref _inFlight);
    }

    public void MarkFailed(long id, Exception error)
    {
        Volatile.Write(ref _state[id], Failed);
        Interlocked.Decrement(ref _inFlight);
        _errorKinds.AddOrUpdate(Describe(error), 1, (_, n) => n + 1);
    }

    /// <summary>
    /// A text event arrived at a participant; counts it if it came from the other party of this run and returns its
    /// id, or -1 when it is not counted (the sender's own copy, another run, not a load message).
    /// </summary>
    public long OnReceived(bool receiverIsCounselor, string text)
    {
        var now = Stopwatch.GetTimestamp();
        var span = text.AsSpan();
        var colon = span.IndexOf(':');
        if (colon <= 0 || colon + 2 > span.Length || !int.TryParse(span[..colon], out var run) || run != Run)
        {
            return -1;
        }

        // The id ends at the space before a risk phrase, if there is one.
        var name = span[(colon + 2)..];
        var space = name.IndexOf(' ');
        if (!long.TryParse(space < 0 ? name : name[..space], out var id) || id < 0 || id >= Capacity)
        {
            return -1;
        }

        var fromCounselor = span[colon + 1] == 'c';
        if (fromCounselor == receiverIsCounselor)
        {
            return -1; // The sender's own copy.
        }

        if (Interlocked.Increment(ref _receipts[id]) == 1)
        {
            Volatile.Write(ref _firstReceivedAt[id], now);
        }
        else
        {
            Interlocked.Increment(ref _duplicates);
        }

        return id;
    }

    public void OnOrderViolation() => Interlocked.Increment(ref _orderViolations);

    public void OnSeqGap() => Interlocked.Increment(ref _seqGaps);

    /// <summary>
    /// Sends still outstanding plus acknowledged messages that have not reached the other party yet, plus
    /// acknowledged risk messages whose alert has not arrived yet.
    /// </summary>
    public long Unsettled()
    {
        var unsettled = InFlight + (Alerts?.Pending ?? 0);
        var issued = Issued;
        for (var id = 0; id < issued; id++)
        {
            if (Volatile.Read(ref _state[id]) == Acked && Volatile.Read(ref _receipts[id]) == 0)
            {
                unsettled++;
            }
        }

        return unsettled;
    }

    public bool IsSettled() => Unsettled() == 0;

    public PhaseResult Summarize(
        string target, string phase, int connections, double offeredPerSecond, long measureStart, long measureEnd, long connectionsLost, double generatorLagMaxMs, double drainSeconds, CpuCost cpu)
    {
        var issued = (int)Issued;
        var windowSeconds = (measureEnd - measureStart) / (double)Stopwatch.Frequency;
        var relay = new LatencyHistogram();
        var buckets = new SortedDictionary<long, LatencyHistogram>();
        var bucketTicks = (long)(BucketSeconds * Stopwatch.Frequency);
        var ack = new LatencyHistogram();
        long sent = 0, acked = 0, errors = 0, lost = 0, withoutAck = 0, sentInWindow = 0, relayedInWindow = 0;

        for (var id = 0; id < issued; id++)
        {
            var state = _state[id];
            if (state == 0)
            {
                continue;
            }

            sent++;
            var sentAt = _sentAt[id];
            var received = _receipts[id] > 0;
            var inWindow = sentAt >= measureStart && sentAt < measureEnd;
            switch (state)
            {
                case Acked:
                    acked++;
                    if (!received)
                    {
                        lost++;
                    }

                    if (inWindow)
                    {
                        ack.Record(_ackAt[id] - sentAt);
                    }

                    break;
                case Failed:
                    errors++;
                    if (received)
                    {
                        withoutAck++;
                    }

                    break;
            }

            if (received)
            {
                var bucket = (long)Math.Floor((sentAt - measureStart) / (double)bucketTicks);
                if (!buckets.TryGetValue(bucket, out var latencies))
                {
                    // Two digits: a quarter second's p50 and p99 need no more, and a phase has many of them.
                    buckets[bucket] = latencies = new LatencyHistogram(significantDigits: 2);
                }

                latencies.Record(_firstReceivedAt[id] - sentAt);
            }

            if (inWindow)
            {
                sentInWindow++;
                if (received)
                {
                    relay.Record(_firstReceivedAt[id] - sentAt);
                }
            }

            if (received && _firstReceivedAt[id] >= measureStart && _firstReceivedAt[id] < measureEnd)
            {
                relayedInWindow++;
            }
        }

        return new PhaseResult(
            target,
            phase,
            connections,
            offeredPerSecond,
            sentInWindow / windowSeconds,
            relayedInWindow / windowSeconds,
            LatencySummary.From(relay),
            LatencySummary.From(ack),
            sent,
            acked,
            errors,
            lost,
            Interlocked.Read(ref _duplicates),
            withoutAck,
            Interlocked.Read(ref _orderViolations),
            Interlocked.Read(ref _seqGaps),
            connectionsLost,
            generatorLagMaxMs,
            drainSeconds,
            cpu,
            new Dictionary<string, long>(_errorKinds),
            Alerts?.Summarize(measureStart, measureEnd))
        {
            Timeline = [.. buckets.Select(b =>
            {
                var summary = LatencySummary.From(b.Value);
                return new LatencyBucket(b.Key * BucketSeconds, summary.Count, summary.P50Ms, summary.P99Ms, summary.MaxMs);
            })],
        };
    }

    private static string Describe(Exception error)
    {
        // SignalR prefixes a hub's refusal with a generic sentence and then "HubException: <reason>".
        var message = error.Message;
        var reason = message.IndexOf("HubException: ", StringComparison.Ordinal);
        message = reason >= 0 ? message[(reason + "HubException: ".Length)..] : message;
        var cut = message.IndexOfAny(['.', ':']);
        return error.GetType().Name + ": " + (cut > 0 ? message[..cut] : message);
    }

    /// <summary>Sessions' event kinds that are not load messages (joins, leaves) are ignored by the receipt count.</summary>
    public static bool IsLoadMessage(SessionEventDto item) => item.Kind == EventKinds.Text;
}

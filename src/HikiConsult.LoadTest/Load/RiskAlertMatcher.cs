using System.Diagnostics;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Pairs the risk messages of one phase with the <c>RiskAlert</c> pushes on their sessions' counselor connections,
/// by (session, seq). A message's seq is learnt from its ack or from its relayed copy, whichever comes first, and
/// the alert may come before either: an alert whose seq is not known yet is held until it is. Whatever is still held
/// when the phase is summarized was raised for a message that carried no risk phrase: a false alert.
/// Risk messages are a small share of the load, so one lock is cheap enough.
/// </summary>
internal sealed class RiskAlertMatcher
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyDictionary<string, long> _seqBefore;
    private readonly Dictionary<long, RiskMessage> _messages = [];
    private readonly Dictionary<(string SessionId, long Seq), RiskMessage> _bySeq = [];
    private readonly Dictionary<(string SessionId, long Seq), HeldAlert> _held = [];
    private long _earlier;
    private long _pending;

    /// <param name="seqBefore">Per session, the last seq before the phase began: alerts up to it belong to an earlier phase.</param>
    public RiskAlertMatcher(double share, IReadOnlyDictionary<string, long> seqBefore)
    {
        Share = share;
        _seqBefore = seqBefore;
    }

    /// <summary>Share of the client devices' messages sent with a risk phrase.</summary>
    public double Share { get; }

    /// <summary>Acknowledged risk messages whose alert has not arrived yet (what a drain waits for).</summary>
    public long Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <summary>A risk message is about to be sent (<paramref name="sentAt"/>: Stopwatch timestamp of the Send call).</summary>
    public void Sent(long id, string sessionId, long sentAt)
    {
        lock (_gate)
        {
            _messages[id] = new RiskMessage(sessionId, sentAt);
        }
    }

    /// <summary>The server acknowledged message <paramref name="id"/> as <paramref name="seq"/>; ignored if it is not a risk message.</summary>
    public void Acknowledged(long id, long seq)
    {
        lock (_gate)
        {
            if (!_messages.TryGetValue(id, out var message))
            {
                return;
            }

            // Learnt before it counts as acknowledged: an alert held for this seq settles it here, not twice.
            Learn(message, seq);
            message.Acked = true;
            if (message.Alerts == 0)
            {
                _pending++;
            }
        }
    }

    /// <summary>Message <paramref name="id"/> reached the counselor as <paramref name="seq"/>; ignored if it is not a risk message.</summary>
    public void Relayed(long id, long seq)
    {
        lock (_gate)
        {
            if (_messages.TryGetValue(id, out var message))
            {
                Learn(message, seq);
            }
        }
    }

    /// <summary>A <c>RiskAlert</c> for (<paramref name="sessionId"/>, <paramref name="seq"/>) arrived on that session's counselor connection.</summary>
    public void AlertReceived(string sessionId, long seq, long at)
    {
        lock (_gate)
        {
            if (seq <= _seqBefore.GetValueOrDefault(sessionId))
            {
                _earlier++;
            }
            else if (_bySeq.TryGetValue((sessionId, seq), out var message))
            {
                Alerted(message, at, 1);
            }
            else if (_held.TryGetValue((sessionId, seq), out var held))
            {
                held.Count++;
            }
            else
            {
                _held[(sessionId, seq)] = new HeldAlert(at);
            }
        }
    }

    /// <summary>Counts over every risk message of the phase; latency over those sent in [measureStart, measureEnd).</summary>
    public RiskAlertResult Summarize(long measureStart, long measureEnd)
    {
        lock (_gate)
        {
            var latencies = new LatencyHistogram();
            long expected = 0, received = 0, duplicates = 0, inWindow = 0, withinSecond = 0;
            foreach (var message in _messages.Values)
            {
                duplicates += Math.Max(0, message.Alerts - 1);
                if (!message.Acked)
                {
                    continue; // Not accepted by the server: no alert is owed.
                }

                expected++;
                if (message.Alerts > 0)
                {
                    received++;
                }

                if (message.SentAt < measureStart || message.SentAt >= measureEnd)
                {
                    continue;
                }

                inWindow++;
                if (message.Alerts > 0)
                {
                    var latency = message.FirstAlertAt - message.SentAt;
                    latencies.Record(latency);
                    if (latency <= Stopwatch.Frequency)
                    {
                        withinSecond++;
                    }
                }
            }

            duplicates += _held.Values.Sum(h => h.Count - 1L);
            return new RiskAlertResult(
                Share,
                _messages.Count,
                expected,
                received,
                expected - received,
                duplicates,
                _held.Count,
                _earlier,
                inWindow,
                withinSecond,
                LatencySummary.From(latencies));
        }
    }

    private void Learn(RiskMessage message, long seq)
    {
        if (message.Seq != 0)
        {
            return;
        }

        message.Seq = seq;
        var key = (message.SessionId, seq);
        _bySeq[key] = message;
        if (_held.Remove(key, out var held))
        {
            Alerted(message, held.FirstAt, held.Count);
        }
    }

    private void Alerted(RiskMessage message, long at, int count)
    {
        if (message.Alerts == 0)
        {
            message.FirstAlertAt = at;
            if (message.Acked)
            {
                _pending--;
            }
        }

        message.Alerts += count;
    }

    private sealed class RiskMessage(string sessionId, long sentAt)
    {
        public string SessionId { get; } = sessionId;

        public long SentAt { get; } = sentAt;

        public long Seq { get; set; }

        public bool Acked { get; set; }

        public int Alerts { get; set; }

        public long FirstAlertAt { get; set; }
    }

    private sealed class HeldAlert(long firstAt)
    {
        public long FirstAt { get; } = firstAt;

        public int Count { get; set; } = 1;
    }
}

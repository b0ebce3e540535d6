using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// This node's subscriber to one session: forwards the session's pushes to the connections on this node that
/// joined it, on either hub, each connection strictly in seq order and each event once.
/// <para>
/// Orleans delivers the grain's one-way calls at most once and in no promised order, so the observer does not trust
/// their order: each connection has a stream that holds what arrives early, drops what it has sent already, and, when
/// a gap does not close within <see cref="SessionPushTiming.GapTimeout"/>, reads the missing events from the log (every
/// event is in the log before it is pushed). A connection that is still joining holds everything until its join
/// returns the history it covers. A state push carries the log position it was made at and is dropped when an
/// older one arrives after a newer.
/// </para>
/// </summary>
internal sealed partial class SessionObserver : ISessionObserver, IDisposable
{
    private readonly string _sessionId;
    private readonly ISessionEventStore _store;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<ConnectionStream> _streams = [];
    private readonly ITimer _gapTimer;

    /// <summary>The highest seq known to be in the log: from pushes, acks and subscriptions.</summary>
    private long _known;
    private (long AtSeq, long Change) _lastState = (-1, -1);
    private bool _gapTimerArmed;
    private bool _repairing;

    public SessionObserver(string sessionId, ISessionEventStore store, ILogger logger)
    {
        _sessionId = sessionId;
        _store = store;
        _logger = logger;

        // Real time, not the host's clock: a transport timeout, not a clinical one.
        _gapTimer = TimeProvider.System.CreateTimer(static o => ((SessionObserver)o!).OnGapTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Adds a connection that is joining; it receives nothing until <see cref="Joined"/>. Returns how many this node has now.</summary>
    public int Add(string connectionId, IClientProxy client)
    {
        lock (_lock)
        {
            if (Find(connectionId) is null)
            {
                _streams.Add(new ConnectionStream(connectionId, client));
            }

            return _streams.Count;
        }
    }

    /// <summary>The join returned every event up to <paramref name="historyUpTo"/>: the connection's stream starts after it.</summary>
    public void Joined(string connectionId, long historyUpTo)
    {
        lock (_lock)
        {
            if (Find(connectionId) is { } stream)
            {
                stream.Start(historyUpTo);
                _known = Math.Max(_known, historyUpTo);
                ArmGapTimerIfBehind();
            }
        }
    }

    /// <summary>Removes a connection that left the session; returns how many this node has now.</summary>
    public int Remove(string connectionId)
    {
        lock (_lock)
        {
            _streams.RemoveAll(s => s.ConnectionId == connectionId);
            return _streams.Count;
        }
    }

    /// <summary>An event is known to be in the log (an ack, a subscription's answer): a gap up to it is repaired if pushes do not fill it.</summary>
    public void Known(long seq)
    {
        lock (_lock)
        {
            if (seq > _known)
            {
                _known = seq;
                ArmGapTimerIfBehind();
            }
        }
    }

    public Task OnSessionEvent(SessionEventDto sessionEvent)
    {
        lock (_lock)
        {
            _known = Math.Max(_known, sessionEvent.Seq);
            foreach (var stream in _streams)
            {
                stream.Offer(sessionEvent);
            }

            ArmGapTimerIfBehind();
        }

        return Task.CompletedTask;
    }

    public Task OnSessionState(SessionStateDto state, long atSeq, long change)
    {
        lock (_lock)
        {
            if ((atSeq, change).CompareTo(_lastState) <= 0)
            {
                return Task.CompletedTask; // an older state that arrived after a newer one
            }

            _lastState = (atSeq, change);
            _known = Math.Max(_known, atSeq);
            object?[] arguments = [state];
            foreach (var stream in _streams)
            {
                ConnectionStream.Observe(stream.Client.SendCoreAsync(HubMethods.SessionState, arguments));
            }

            ArmGapTimerIfBehind();
        }

        return Task.CompletedTask;
    }

    /// <summary>Reads the missing events from the log for every stream that is behind, and sends them in order.</summary>
    public async Task RepairGapsAsync()
    {
        long from;
        long to;
        lock (_lock)
        {
            if (_repairing || !Behind(out from, out to))
            {
                return;
            }

            _repairing = true;
        }

        try
        {
            var missing = await _store.ReadAsync(_sessionId, from, checked((int)Math.Min(to - from, int.MaxValue)));
            GapRepaired(_logger, _sessionId, from, to, missing.Count);
            lock (_lock)
            {
                foreach (var e in missing)
                {
                    foreach (var stream in _streams)
                    {
                        stream.Offer(e);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            GapRepairFailed(_logger, _sessionId, ex);
        }
        finally
        {
            lock (_lock)
            {
                _repairing = false;
                ArmGapTimerIfBehind();
            }
        }
    }

    public void Dispose() => _gapTimer.Dispose();

    private void OnGapTimeout()
    {
        lock (_lock)
        {
            _gapTimerArmed = false;
        }

        _ = RepairGapsAsync();
    }

    private void ArmGapTimerIfBehind()
    {
        if (!_gapTimerArmed && !_repairing && Behind(out _, out _))
        {
            _gapTimerArmed = true;
            _gapTimer.Change(SessionPushTiming.GapTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Whether a started stream has not sent everything up to the highest known seq; the range to read if so.</summary>
    private bool Behind(out long from, out long to)
    {
        from = long.MaxValue;
        to = _known;
        foreach (var stream in _streams)
        {
            if (stream.Sent is { } sent && sent < _known)
            {
                from = Math.Min(from, sent);
            }
        }

        return from < to;
    }

    private ConnectionStream? Find(string connectionId)
    {
        foreach (var stream in _streams)
        {
            if (stream.ConnectionId == connectionId)
            {
                return stream;
            }
        }

        return null;
    }

    [LoggerMessage(1, LogLevel.Information, "Session {SessionId}: pushes after seq {From} up to {To} did not arrive in time; {Count} read from the log")]
    private static partial void GapRepaired(ILogger logger, string sessionId, long from, long to, int count);

    [LoggerMessage(2, LogLevel.Warning, "Session {SessionId}: reading missing pushes from the log failed; retried on the next gap")]
    private static partial void GapRepairFailed(ILogger logger, string sessionId, Exception exception);
}

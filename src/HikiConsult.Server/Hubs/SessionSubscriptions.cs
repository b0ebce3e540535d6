using Orleans;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// One <see cref="SessionObserver"/> per session that has connections on this node. Joining acquires it (and
/// the join subscribes it at the grain); a timer renews the subscriptions of sessions in use, well within the
/// grain's expiry, which also brings them back after the grain was re-activated (its answer, the last seq, lets the
/// observer read from the log what it missed meanwhile); unused observers are unsubscribed and dropped one period
/// after their last connection left.
/// </summary>
public sealed partial class SessionSubscriptions(
    IGrainFactory grains,
    ISessionEventStore store,
    TimeProvider time,
    ILogger<SessionSubscriptions> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The observer reference of the session on this node, with the connection (and its hub's client for it) added
    /// to those the observer pushes to, once <see cref="Joined"/> says what history its join returned.
    /// </summary>
    public ISessionObserver Acquire(string sessionId, string connectionId, IClientProxy client)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(sessionId, out var entry))
            {
                var observer = new SessionObserver(sessionId, store, logger);
                entry = new Entry(observer, grains.CreateObjectReference<ISessionObserver>(observer));
                _entries[sessionId] = entry;
            }

            entry.Observer.Add(connectionId, client);
            entry.IdleSince = null;
            return entry.Reference;
        }
    }

    /// <summary>The connection's join returned the history up to <paramref name="historyUpTo"/>: pushes after it follow, in order.</summary>
    public void Joined(string sessionId, string connectionId, long historyUpTo)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(sessionId, out var entry))
            {
                entry.Observer.Joined(connectionId, historyUpTo);
            }
        }
    }

    /// <summary>An event of the session is in the log (its sender's ack): the node's connections get it even if its push is lost.</summary>
    public void Known(string sessionId, long seq)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(sessionId, out var entry))
            {
                entry.Observer.Known(seq);
            }
        }
    }

    /// <summary>The connection gets no more pushes of the session; the observer idles once it has none.</summary>
    public void Release(string sessionId, string connectionId)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(sessionId, out var entry) && entry.Observer.Remove(connectionId) == 0)
            {
                entry.IdleSince ??= time.GetUtcNow();
            }
        }
    }

    /// <summary>Sessions with an observer on this node (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Whether this node has an observer for the session.</summary>
    public bool Has(string sessionId)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(sessionId);
        }
    }

    /// <summary>Renews live subscriptions and drops idle ones. Runs every <see cref="SessionObserverTiming.RenewPeriod"/>.</summary>
    public async Task RenewAsync()
    {
        var now = time.GetUtcNow();
        List<(string SessionId, Entry Entry)> renew = [];
        List<(string SessionId, Entry Entry)> drop = [];
        lock (_lock)
        {
            foreach (var (sessionId, entry) in _entries)
            {
                if (entry.IdleSince is { } idle && now - idle >= SessionObserverTiming.RenewPeriod)
                {
                    drop.Add((sessionId, entry));
                }
                else
                {
                    renew.Add((sessionId, entry));
                }
            }

            foreach (var (sessionId, _) in drop)
            {
                _entries.Remove(sessionId);
            }
        }

        foreach (var (sessionId, entry) in renew)
        {
            try
            {
                entry.Observer.Known(await grains.GetGrain<IConsultationSessionGrain>(sessionId).Subscribe(entry.Reference));
            }
            catch (Exception ex)
            {
                RenewFailed(logger, sessionId, ex);
            }
        }

        foreach (var (sessionId, entry) in drop)
        {
            try
            {
                await grains.GetGrain<IConsultationSessionGrain>(sessionId).Unsubscribe(entry.Reference);
            }
            catch (Exception ex)
            {
                RenewFailed(logger, sessionId, ex);
            }

            ObserverReferences.Delete(grains, entry.Reference);
            entry.Observer.Dispose();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SessionObserverTiming.RenewPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Renewing the observer of session {SessionId} failed")]
    private static partial void RenewFailed(ILogger logger, string sessionId, Exception exception);

    private sealed class Entry(SessionObserver observer, ISessionObserver reference)
    {
        public SessionObserver Observer { get; } = observer;
        public ISessionObserver Reference { get; } = reference;
        public DateTimeOffset? IdleSince { get; set; }
    }
}

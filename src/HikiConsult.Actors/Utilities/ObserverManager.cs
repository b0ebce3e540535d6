using Microsoft.Extensions.Logging;

namespace HikiConsult.Actors.Utilities;

/// <summary>
/// Keeps a grain's subscribers. Subscriptions expire unless renewed within <see cref="ExpirationDuration"/>
/// (subscribers re-subscribe periodically); observers that throw when notified are dropped.
/// Use it from grain turns only: it is not thread-safe, like the grain it lives in.
/// </summary>
public sealed class ObserverManager<TIdentity, TObserver> where TIdentity : notnull
{
    private readonly Dictionary<TIdentity, (TObserver Observer, DateTimeOffset LastSeen)> _observers = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ObserverManager(TimeSpan expiration, ILogger logger, TimeProvider? timeProvider = null)
    {
        ExpirationDuration = expiration;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
    }

    public TimeSpan ExpirationDuration { get; set; }

    public int Count => _observers.Count;

    public IEnumerable<TObserver> Observers => _observers.Values.Select(v => v.Observer);

    /// <summary>Adds or renews a subscription.</summary>
    public void Subscribe(TIdentity id, TObserver observer) => _observers[id] = (observer, _time.GetUtcNow());

    public void Unsubscribe(TIdentity id) => _observers.Remove(id);

    public void Clear() => _observers.Clear();

    /// <summary>Removes subscriptions not renewed within <see cref="ExpirationDuration"/>.</summary>
    public void ClearExpired()
    {
        var expired = _time.GetUtcNow() - ExpirationDuration;
        List<TIdentity>? remove = null;
        foreach (var (id, entry) in _observers)
        {
            if (entry.LastSeen < expired)
            {
                (remove ??= []).Add(id);
            }
        }

        if (remove is null)
        {
            return;
        }

        foreach (var id in remove)
        {
            _observers.Remove(id);
        }

        _logger.LogDebug("Removed {Count} expired observers", remove.Count);
    }

    /// <summary>Calls every live observer; one that throws is removed.</summary>
    public void Notify(Action<TObserver> notification, Func<TObserver, bool>? predicate = null)
    {
        ClearExpired();
        List<TIdentity>? failed = null;
        foreach (var (id, entry) in _observers)
        {
            if (predicate is not null && !predicate(entry.Observer))
            {
                continue;
            }

            try
            {
                notification(entry.Observer);
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Observer {ObserverId} failed and is removed", id);
                (failed ??= []).Add(id);
            }
        }

        failed?.ForEach(id => _observers.Remove(id));
    }

    /// <summary>Calls every live observer and waits for all; one whose call fails is removed.</summary>
    public Task Notify(Func<TObserver, Task> notification, Func<TObserver, bool>? predicate = null) =>
        Notify(static (observer, notification) => notification(observer), notification, predicate);

    /// <summary>
    /// Calls every live observer with <paramref name="state"/> and waits for all; one whose call fails is removed.
    /// A static <paramref name="notification"/> with its state costs no closure per call, which matters on a path
    /// taken for every event.
    /// </summary>
    public async Task Notify<TState>(Func<TObserver, TState, Task> notification, TState state, Func<TObserver, bool>? predicate = null)
    {
        ClearExpired();

        // Most grains have one subscriber (one per node): it needs no list of calls.
        (TIdentity Id, Task Call)? first = null;
        List<(TIdentity Id, Task Call)>? more = null;
        foreach (var (id, entry) in _observers)
        {
            if (predicate is not null && !predicate(entry.Observer))
            {
                continue;
            }

            Task call;
            try
            {
                call = notification(entry.Observer, state);
            }
            catch (Exception ex)
            {
                call = Task.FromException(ex);
            }

            if (first is null)
            {
                first = (id, call);
            }
            else
            {
                (more ??= []).Add((id, call));
            }
        }

        if (first is not { } only)
        {
            return;
        }

        try
        {
            await only.Call;
        }
        catch (Exception ex)
        {
            Drop(only.Id, ex);
        }

        if (more is null)
        {
            return;
        }

        foreach (var (id, call) in more)
        {
            try
            {
                await call;
            }
            catch (Exception ex)
            {
                Drop(id, ex);
            }
        }
    }

    private void Drop(TIdentity id, Exception exception)
    {
        _logger.LogDebug(exception, "Observer {ObserverId} failed and is removed", id);
        _observers.Remove(id);
    }
}

/// <summary>An <see cref="ObserverManager{TIdentity, TObserver}"/> keyed by the observer reference itself.</summary>
public sealed class ObserverManager<TObserver>(TimeSpan expiration, ILogger logger, TimeProvider? timeProvider = null) where TObserver : notnull
{
    private readonly ObserverManager<TObserver, TObserver> _inner = new(expiration, logger, timeProvider);

    public TimeSpan ExpirationDuration { get => _inner.ExpirationDuration; set => _inner.ExpirationDuration = value; }
    public int Count => _inner.Count;
    public IEnumerable<TObserver> Observers => _inner.Observers;
    public void Subscribe(TObserver observer) => _inner.Subscribe(observer, observer);
    public void Unsubscribe(TObserver observer) => _inner.Unsubscribe(observer);
    public void Clear() => _inner.Clear();
    public void ClearExpired() => _inner.ClearExpired();
    public void Notify(Action<TObserver> notification, Func<TObserver, bool>? predicate = null) => _inner.Notify(notification, predicate);
    public Task Notify(Func<TObserver, Task> notification, Func<TObserver, bool>? predicate = null) => _inner.Notify(notification, predicate);
    public Task Notify<TState>(Func<TObserver, TState, Task> notification, TState state, Func<TObserver, bool>? predicate = null) => _inner.Notify(notification, state, predicate);
}

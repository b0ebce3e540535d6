using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using HikiConsult.Actors.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HikiConsult.Actors.Internal;

/// <summary>
/// The grain host's runtime: the activation directory (one activation per grain id), message dispatch,
/// the grain factory, response timeouts and idle collection.
/// </summary>
internal sealed partial class GrainRuntime : IGrainFactory, IDisposable
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _directory = new();
    private readonly ConcurrentDictionary<MethodInfo, GrainMethod> _methods = new();
    private readonly ConditionalWeakTable<IGrainObserver, ActivationData> _observers = new();
    private readonly ConcurrentDictionary<ActivationData, byte> _liveObservers = new();
    private readonly GrainTypeManager _types;
    private readonly ILogger _logger;
    private readonly GrainCollectionOptions _collection;
    private ITimer? _timeoutTimer;
    private ITimer? _collectionTimer;
    private volatile bool _stopping;
    private int _transitions;
    private long _sweepEpoch;
    private long _responseDeadline;
    private long _coarseNow;
    private int _executing;

    public GrainRuntime(
        IServiceProvider services,
        GrainTypeManager types,
        TimeProvider time,
        IOptions<MessagingOptions> messaging,
        IOptions<GrainCollectionOptions> collection,
        IEnumerable<IIncomingGrainCallFilter> callFilters,
        ILogger<GrainRuntime> logger,
        GrainHostMetrics metrics)
    {
        Services = services;
        _types = types;
        Time = time;
        _logger = logger;
        _collection = collection.Value;
        Metrics = metrics;
        ResponseTimeout = messaging.Value.ResponseTimeout;
        ResponseTimeoutCheckPeriod = messaging.Value.ResponseTimeoutCheckPeriod;
        InlineTurns = messaging.Value.InlineTurns;
        if (ResponseTimeoutCheckPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("MessagingOptions.ResponseTimeoutCheckPeriod must be positive.");
        }

        // A call sent during sweep e fails at sweep e + ResponseTimeoutSweeps + 1: at least ResponseTimeout after it
        // was sent, at most one check period more.
        ResponseTimeoutSweeps = ResponseTimeout == Timeout.InfiniteTimeSpan ? 0 : (long)Math.Ceiling(ResponseTimeout / ResponseTimeoutCheckPeriod);
        _responseDeadline = ResponseTimeoutSweeps == 0 ? 0 : ResponseTimeoutSweeps + 1;
        _coarseNow = time.GetTimestamp();
        CallFilters = [.. callFilters];
        metrics.Observe(this);
    }

    public IServiceProvider Services { get; }
    public TimeProvider Time { get; }
    public GrainHostMetrics Metrics { get; }
    public IIncomingGrainCallFilter[] CallFilters { get; }
    public TimeSpan ResponseTimeout { get; }

    /// <summary><see cref="MessagingOptions.InlineTurns"/>.</summary>
    public bool InlineTurns { get; }
    /// <summary>The response timeout in timeout sweeps (rounded up); 0 when calls never time out.</summary>
    public long ResponseTimeoutSweeps { get; }

    /// <summary>How many timeout sweeps have run.</summary>
    public long SweepEpoch => Volatile.Read(ref _sweepEpoch);

    /// <summary>The <see cref="Message.Deadline"/> for a call sent now; 0 when calls never time out.</summary>
    public long ResponseDeadline => Volatile.Read(ref _responseDeadline);

    /// <summary>
    /// <see cref="Time"/>'s timestamp as of the last sweep (or start): the idle clock of activations, which needs no
    /// more precision than the sweeps that read it, and costs no clock read per call.
    /// </summary>
    public long CoarseNow => Volatile.Read(ref _coarseNow);
    public TimeSpan ResponseTimeoutCheckPeriod { get; }
    public TimeSpan DeactivationTimeout => _collection.DeactivationTimeout;

    public int ActivationCount => _directory.Count;

    /// <summary>A span in <see cref="Time"/> ticks, saturated so that adding it to a timestamp cannot overflow.</summary>
    public long ToTicks(TimeSpan span)
    {
        var ticks = span.TotalSeconds * Time.TimestampFrequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }

    // ---- IGrainFactory -------------------------------------------------------------------------------

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(primaryKey);
        return GetGrain<TGrainInterface>(primaryKey, string.Empty);
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey =>
        GetGrain<TGrainInterface>(primaryKey.ToString("N"), string.Empty);

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey) where TGrainInterface : IGrainWithIntegerKey =>
        GetGrain<TGrainInterface>(primaryKey.ToString(CultureInfo.InvariantCulture), string.Empty);

    private TGrainInterface GetGrain<TGrainInterface>(string key, string _)
    {
        var classInfo = _types.GetClassFor(typeof(TGrainInterface));
        return GrainReference.Create<TGrainInterface>(this, new GrainId(classInfo.GrainType, key), classInfo, observer: null);
    }

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is GrainReference)
        {
            throw new ArgumentException("Pass the observer object itself, not a reference to it.", nameof(obj));
        }

        if (obj is not TGrainObserverInterface)
        {
            throw new ArgumentException($"{obj.GetType().Name} does not implement {typeof(TGrainObserverInterface).Name}.", nameof(obj));
        }

        var mailbox = _observers.GetValue(obj, o => new ActivationData(this, new GrainId(GrainClassInfo.Observer.GrainType, Guid.NewGuid().ToString("N")), o));
        _liveObservers.TryAdd(mailbox, 0);
        return GrainReference.Create<TGrainObserverInterface>(this, mailbox.GrainId, classInfo: null, mailbox);
    }

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (_observers.TryGetValue(obj, out var mailbox))
        {
            _observers.Remove(obj);
            _liveObservers.TryRemove(mailbox, out _);
            mailbox.Detach();
        }
    }

    // ---- Dispatch ------------------------------------------------------------------------------------

    public GrainMethod GetMethod(MethodInfo method) =>
        _methods.TryGetValue(method, out var known) ? known : _methods.GetOrAdd(method, GrainMethod.Create);

    public void Send(GrainReference reference, Message message)
    {
        if (reference.Observer is { } observer)
        {
            if (!observer.TryEnqueue(message, InlineTurns))
            {
                throw new ObserverNotAvailableException(reference.GrainId);
            }

            return;
        }

        // A reference remembers the activation it last reached: while that one lives, no directory lookup.
        if (reference.Activation is { } cached && cached.TryEnqueue(message, InlineTurns))
        {
            return;
        }

        reference.Activation = Forward(reference.GrainId, reference.ClassInfo!, message, InlineTurns);
    }

    /// <summary>Queues a message on the grain's one activation, creating it if there is none; returns that activation.</summary>
    public ActivationData? Forward(GrainId id, GrainClassInfo classInfo, Message message) => Forward(id, classInfo, message, mayRunInline: false);

    private ActivationData? Forward(GrainId id, GrainClassInfo classInfo, Message message, bool mayRunInline)
    {
        while (true)
        {
            if (!_directory.TryGetValue(id, out var activation))
            {
                if (_stopping)
                {
                    message.Fail(new InvalidOperationException($"The grain host is shutting down; {id} cannot be activated."));
                    return null;
                }

                activation = _directory.GetOrAdd(id, static (id, state) => new ActivationData(state.Runtime, state.ClassInfo, id), (Runtime: this, ClassInfo: classInfo));
            }

            if (activation.TryEnqueue(message, mayRunInline))
            {
                return activation;
            }

            _directory.TryRemove(new KeyValuePair<GrainId, ActivationData>(id, activation));
        }
    }

    public void RemoveActivation(ActivationData activation) =>
        _directory.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    internal bool TryGetActivation(GrainId id, out ActivationData activation) => _directory.TryGetValue(id, out activation!);

    /// <summary>
    /// Every activation, enumerated without locking or copying the directory (its <c>Values</c> would take every
    /// lock and copy a million entries per sweep).
    /// </summary>
    internal IEnumerable<ActivationData> Activations
    {
        get
        {
            foreach (var entry in _directory)
            {
                yield return entry.Value;
            }
        }
    }

    /// <summary>
    /// Routes calls for one grain id to a given object, through a mailbox of its own (test probes). The grain id
    /// must not be active already.
    /// </summary>
    internal GrainId AddProbe(Type grainInterface, string key, object instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!grainInterface.IsInstanceOfType(instance))
        {
            throw new ArgumentException($"{instance.GetType().Name} does not implement {grainInterface.Name}.", nameof(instance));
        }

        var classInfo = _types.GetOrAddProbeClass(grainInterface);
        var id = new GrainId(classInfo.GrainType, key);
        if (!_directory.TryAdd(id, new ActivationData(this, classInfo, id, instance)))
        {
            throw new InvalidOperationException($"{id} is already active (or probed); add probes before the first call.");
        }

        return id;
    }

    // ---- Quiescence (tests) --------------------------------------------------------------------------

    /// <summary>An activation or deactivation began (rare path; lets tests see work between directory entries).</summary>
    internal void TransitionStarted() => Interlocked.Increment(ref _transitions);

    internal void TransitionEnded() => Interlocked.Decrement(ref _transitions);

    /// <summary>Count running turn batches (tests turn this on; it costs two interlocked operations per batch).</summary>
    internal bool TrackExecution { get; set; }

    internal void ExecutionStarted() => Interlocked.Increment(ref _executing);

    internal void ExecutionEnded() => Interlocked.Decrement(ref _executing);

    /// <summary>
    /// Nothing is running or queued to run on the thread pool: whatever is unfinished waits on something outside the
    /// grains (a held storage call, a timer). Needs <see cref="TrackExecution"/>.
    /// </summary>
    internal bool IsSettled()
    {
        if (Volatile.Read(ref _executing) != 0)
        {
            return false;
        }

        foreach (var (_, activation) in _directory)
        {
            if (activation.IsScheduled)
            {
                return false;
            }
        }

        foreach (var observer in _liveObservers.Keys)
        {
            if (observer.IsScheduled)
            {
                return false;
            }
        }

        return Volatile.Read(ref _executing) == 0;
    }

    /// <summary>No activation or observer has queued, running or scheduled work, and none is (de)activating.</summary>
    internal bool IsQuiescent()
    {
        if (Volatile.Read(ref _transitions) != 0 || Volatile.Read(ref _executing) != 0)
        {
            return false;
        }

        foreach (var (_, activation) in _directory)
        {
            if (!activation.IsIdle)
            {
                return false;
            }
        }

        foreach (var observer in _liveObservers.Keys)
        {
            if (!observer.IsIdle)
            {
                return false;
            }
        }

        return Volatile.Read(ref _transitions) == 0;
    }

    // ---- Background duties ---------------------------------------------------------------------------

    public void Start()
    {
        _timeoutTimer = Time.CreateTimer(static s => ((GrainRuntime)s!).ExpireMessages(), this, ResponseTimeoutCheckPeriod, ResponseTimeoutCheckPeriod);
        _collectionTimer = Time.CreateTimer(static s => ((GrainRuntime)s!).CollectIdleActivations(), this, _collection.CollectionQuantum, _collection.CollectionQuantum);
    }

    /// <summary>Fails calls past <see cref="MessagingOptions.ResponseTimeout"/> with <see cref="TimeoutException"/>.</summary>
    public int ExpireMessages()
    {
        Volatile.Write(ref _coarseNow, Time.GetTimestamp());
        var epoch = Interlocked.Increment(ref _sweepEpoch);
        if (ResponseTimeoutSweeps != 0)
        {
            Volatile.Write(ref _responseDeadline, epoch + ResponseTimeoutSweeps + 1);
        }

        var expired = new List<Message>();
        foreach (var (_, activation) in _directory)
        {
            activation.ExpireMessages(epoch, expired);
        }

        foreach (var observer in _liveObservers.Keys)
        {
            observer.ExpireMessages(epoch, expired);
        }

        foreach (var message in expired)
        {
            message.Fail(new TimeoutException(
                $"{message.Name} on {message.Activation?.GrainId.ToString() ?? "a grain"} got no response within {ResponseTimeout}. A call cycle between non-reentrant grains (A → B → A) ends this way."));
        }

        return expired.Count;
    }

    /// <summary>Deactivates activations idle for longer than their collection age.</summary>
    public int CollectIdleActivations()
    {
        var now = Time.GetTimestamp();
        Volatile.Write(ref _coarseNow, now);
        var collected = 0;
        foreach (var (_, activation) in _directory)
        {
            if (activation.CollectIfIdle(now))
            {
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Deactivates every activation (pending turns finish, OnDeactivateAsync runs) and refuses new ones.</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _timeoutTimer?.Dispose();
        _collectionTimer?.Dispose();
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The grain host is shutting down.");
        var all = _directory.Values.ToArray();
        foreach (var activation in all)
        {
            activation.Deactivate(reason);
        }

        try
        {
            await Task.WhenAll(all.Select(a => a.WhenDeactivated())).WaitAsync(DeactivationTimeout, Time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            _logger.LogWarning("Shutdown: {Count} activations did not deactivate in time", _directory.Count);
        }
    }

    public void Dispose()
    {
        _timeoutTimer?.Dispose();
        _collectionTimer?.Dispose();
    }

    // ---- Logging (never message bodies or arguments) -------------------------------------------------

    [LoggerMessage(1, LogLevel.Error, "Activation of {GrainId} failed")]
    private static partial void ActivationFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "OnDeactivateAsync of {GrainId} failed")]
    private static partial void DeactivationFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "A timer callback of {GrainId} failed; the timer goes on")]
    private static partial void TimerFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "One-way call {Method} failed")]
    private static partial void OneWayFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(5, LogLevel.Error, "Unhandled exception in a turn of {GrainId}")]
    private static partial void Unhandled(ILogger logger, GrainId grainId, Exception exception);

    public void LogActivationFailure(GrainId id, Exception ex) => ActivationFailed(_logger, id, ex);
    public void LogDeactivationFailure(GrainId id, Exception ex) => DeactivationFailed(_logger, id, ex);
    public void LogTimerFailure(GrainId id, Exception ex) => TimerFailed(_logger, id, ex);
    public void LogOneWayFailure(string method, Exception ex) => OneWayFailed(_logger, method, ex);
    public void LogUnhandled(GrainId id, Exception ex) => Unhandled(_logger, id, ex);
}

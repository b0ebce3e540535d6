namespace HikiConsult.Actors.Internal;

/// <summary>
/// One activation: the grain object, its mailbox and its turn scheduler. Work items (request starts and the
/// continuations of running requests) run one at a time on the thread pool; the activation is the
/// <see cref="SynchronizationContext"/> of its turns, so code after an <c>await</c> in a grain comes back here.
/// Which pending request may start is decided by the interleaving rules in <see cref="CanStart"/>.
/// </summary>
internal sealed class ActivationData : SynchronizationContext, IGrainContext, IThreadPoolWorkItem
{
    /// <summary>The activation whose grain is being constructed on this thread (read by the Grain constructor).</summary>
    [ThreadStatic]
    internal static ActivationData? Constructing;

    private const int WorkItemsPerDispatch = 64;

    private static readonly SendOrPostCallback StartRequestCallback = static s => ((Message)s!).Activation!.RunRequest((Message)s!);
    private static readonly SendOrPostCallback ActivateCallback = static s => _ = ((ActivationData)s!).ActivateAsync();
    private static readonly SendOrPostCallback DeactivateCallback = static s => _ = ((ActivationData)s!).DeactivateAsync();

    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();
    private Queue<Message>? _pending;
    private List<Message>? _running;
    private List<IActivationStateLoader>? _states;
    private List<GrainTimer>? _timers;
    private object? _grain;
    private ActivationState _state;
    private bool _scheduled;
    private bool _deactivationRequested;
    private DeactivationReason _deactivationReason;
    private long _lastActivity;
    private long _keepAliveUntil;
    private TaskCompletionSource? _deactivated;

    /// <summary>An observer or a test probe: a given object, no grain lifecycle, no call filters.</summary>
    private readonly bool _standIn;

    public ActivationData(GrainRuntime runtime, GrainClassInfo classInfo, GrainId grainId)
    {
        Runtime = runtime;
        ClassInfo = classInfo;
        GrainId = grainId;
    }

    /// <summary>An observer's mailbox: already active, around an existing object.</summary>
    public ActivationData(GrainRuntime runtime, GrainId observerId, object observer)
        : this(runtime, GrainClassInfo.Observer, observerId, observer)
    {
    }

    /// <summary>A mailbox around an existing object that stands in for a grain (observers, test probes).</summary>
    public ActivationData(GrainRuntime runtime, GrainClassInfo classInfo, GrainId grainId, object instance)
        : this(runtime, classInfo, grainId)
    {
        _grain = instance;
        _state = ActivationState.Valid;
        _standIn = true;
    }

    private enum ActivationState : byte
    {
        Created,
        Activating,
        Valid,
        Deactivating,
        Invalid,
    }

    public GrainRuntime Runtime { get; }
    public GrainClassInfo ClassInfo { get; }
    public GrainId GrainId { get; }
    public object? GrainInstance => _grain;
    public IServiceProvider ActivationServices => Runtime.Services;
    public bool HasCallFilters => !_standIn && (Runtime.CallFilters.Length > 0 || _grain is IIncomingGrainCallFilter);

    public bool IsValid
    {
        get
        {
            lock (this)
            {
                return _state == ActivationState.Valid;
            }
        }
    }

    /// <summary>Nothing queued, running, scheduled or in a lifecycle transition (test quiescence).</summary>
    public bool IsIdle
    {
        get
        {
            lock (this)
            {
                return !_scheduled && _work.Count == 0 && RunningCount == 0 && _pending is not { Count: > 0 }
                    && _state is ActivationState.Valid or ActivationState.Invalid;
            }
        }
    }

    /// <summary>Work items are queued or running on the thread pool for this activation.</summary>
    public bool IsScheduled
    {
        get
        {
            lock (this)
            {
                return _scheduled;
            }
        }
    }

    public int PendingCount
    {
        get
        {
            lock (this)
            {
                return _pending?.Count ?? 0;
            }
        }
    }

    // ---- Mailbox -------------------------------------------------------------------------------------

    /// <summary>Queues a request; false when this activation is gone and the caller must find the next one.</summary>
    public bool TryEnqueue(Message message)
    {
        lock (this)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            (_pending ??= new Queue<Message>()).Enqueue(message);
            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Activating;
                Runtime.TransitionStarted();
                Post(ActivateCallback, this);
            }
            else if (_state == ActivationState.Valid)
            {
                PumpLocked();
            }
        }

        return true;
    }

    /// <summary>
    /// Queues a timer tick, unless the activation is no longer serving requests. A tick that comes due while
    /// the activation is still activating (a timer registered in OnActivateAsync) waits for it.
    /// </summary>
    public bool TryEnqueueTick(TimerTick tick)
    {
        lock (this)
        {
            if (_state is not (ActivationState.Valid or ActivationState.Activating) || _deactivationRequested)
            {
                return false;
            }

            (_pending ??= new Queue<Message>()).Enqueue(tick);
            PumpLocked();
            return true;
        }
    }

    /// <summary>Starts every pending message the interleaving rules allow; begins a requested deactivation once idle.</summary>
    private void PumpLocked()
    {
        if (_state != ActivationState.Valid)
        {
            return;
        }

        if (_deactivationRequested)
        {
            if (RunningCount == 0)
            {
                _state = ActivationState.Deactivating;
                Runtime.TransitionStarted();
                Post(DeactivateCallback, this);
            }

            return;
        }

        while (_pending is { Count: > 0 })
        {
            var next = _pending.Peek();
            if (!CanStart(next))
            {
                StartInterleavingBehindLocked();
                return;
            }

            _pending.Dequeue();
            StartLocked(next);
        }
    }

    private int RunningCount => _running?.Count ?? 0;

    /// <summary>The interleaving rules: see docs/actors.md.</summary>
    private bool CanStart(Message message)
    {
        if (RunningCount == 0 || ClassInfo.Reentrant || message.AlwaysInterleave)
        {
            return true;
        }

        if (!message.ReadOnly)
        {
            return false;
        }

        foreach (var running in _running!)
        {
            if (!running.ReadOnly)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>[AlwaysInterleave] messages do not wait behind a blocked head of the queue.</summary>
    private void StartInterleavingBehindLocked()
    {
        var pending = _pending!;
        if (pending.Count < 2)
        {
            return;
        }

        Queue<Message>? kept = null;
        foreach (var message in pending)
        {
            if (message.AlwaysInterleave)
            {
                kept ??= new Queue<Message>(pending.Count);
            }
        }

        if (kept is null)
        {
            return;
        }

        foreach (var message in pending)
        {
            if (message.AlwaysInterleave)
            {
                StartLocked(message);
            }
            else
            {
                kept.Enqueue(message);
            }
        }

        _pending = kept;
    }

    private void StartLocked(Message message)
    {
        (_running ??= new List<Message>(2)).Add(message);
        message.Activation = this;
        Post(StartRequestCallback, message);
    }

    // ---- Turn scheduler ------------------------------------------------------------------------------

    public override void Post(SendOrPostCallback d, object? state)
    {
        bool schedule;
        lock (this)
        {
            _work.Enqueue((d, state));
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous sends to a grain activation would block its turn.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs queued work items one at a time; yields the thread after a batch so other activations get a turn.</summary>
    public void Execute()
    {
        var tracked = Runtime.TrackExecution;
        if (tracked)
        {
            Runtime.ExecutionStarted();
        }

        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var i = 0; i < WorkItemsPerDispatch; i++)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (this)
                {
                    if (!_work.TryDequeue(out item))
                    {
                        _scheduled = false;
                        return;
                    }
                }

                try
                {
                    item.Callback(item.State);
                }
                catch (Exception ex)
                {
                    Runtime.LogUnhandled(GrainId, ex);
                }
            }

            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        finally
        {
            SetSynchronizationContext(previous);
            if (tracked)
            {
                Runtime.ExecutionEnded();
            }
        }
    }

    // ---- Requests ------------------------------------------------------------------------------------

    private void RunRequest(Message message)
    {
        if (message.TimedOut)
        {
            OnRequestCompleted(message, Task.CompletedTask);
            return;
        }

        Task task;
        try
        {
            task = message.Invoke(this);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        if (task.IsCompleted)
        {
            OnRequestCompleted(message, task);
        }
        else
        {
            _ = AwaitRequest(message, task);
        }
    }

    private async Task AwaitRequest(Message message, Task task)
    {
        try
        {
            await task;
        }
        catch
        {
            // Reported to the caller by OnRequestCompleted.
        }

        OnRequestCompleted(message, task);
    }

    private void OnRequestCompleted(Message message, Task task)
    {
        if (task.IsFaulted && ExceptionHelper.Contains<Storage.InconsistentStateException>(task.Exception))
        {
            Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "A state write conflicted with storage.", task.Exception));
        }

        lock (this)
        {
            _running!.Remove(message);
            if (message.CountsAsActivity)
            {
                _lastActivity = Runtime.Time.GetTimestamp();
            }

            PumpLocked();
        }

        Runtime.Metrics.RecordCall(message, Runtime.Time);

        // The caller's continuation may run inline here: it must not inherit this activation's context.
        var context = Current;
        SetSynchronizationContext(null);
        try
        {
            message.Complete(task);
        }
        finally
        {
            SetSynchronizationContext(context);
        }
    }

    // ---- Lifecycle -----------------------------------------------------------------------------------

    internal void AddPersistentState(IActivationStateLoader state) => (_states ??= []).Add(state);

    private async Task ActivateAsync()
    {
        try
        {
            Constructing = this;
            try
            {
                _grain = ClassInfo.CreateInstance(this);
            }
            finally
            {
                Constructing = null;
            }

            if (_states is not null)
            {
                foreach (var state in _states)
                {
                    await state.ReadStateAsync();
                }
            }

            if (_grain is Grain grain)
            {
                using var timeout = new CancellationTokenSource(Runtime.DeactivationTimeout, Runtime.Time);
                await grain.OnActivateAsync(timeout.Token);
            }

            lock (this)
            {
                _state = ActivationState.Valid;
                _lastActivity = Runtime.Time.GetTimestamp();
                PumpLocked();
            }

            Runtime.Metrics.ActivationCreated();
            Runtime.TransitionEnded();
        }
        catch (Exception ex)
        {
            Runtime.LogActivationFailure(GrainId, ex);
            Queue<Message>? failed;
            lock (this)
            {
                _state = ActivationState.Invalid;
                failed = _pending;
                _pending = null;
            }

            DisposeTimers();
            Runtime.RemoveActivation(this);
            _deactivated?.TrySetResult();
            FailAll(failed, ex);
            Runtime.TransitionEnded();
        }
    }

    /// <summary>Requests deactivation; it starts as soon as no request runs.</summary>
    public void Deactivate(DeactivationReason reason)
    {
        lock (this)
        {
            if (_deactivationRequested || _state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                return;
            }

            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Invalid;
                Runtime.RemoveActivation(this);
                _deactivated?.TrySetResult();
                return;
            }

            _deactivationRequested = true;
            _deactivationReason = reason;
            PumpLocked();
        }
    }

    /// <summary>Completes when this activation is gone.</summary>
    public Task WhenDeactivated()
    {
        lock (this)
        {
            return _state == ActivationState.Invalid ? Task.CompletedTask : (_deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        lock (this)
        {
            _keepAliveUntil = timeSpan <= TimeSpan.Zero ? 0 : Runtime.Time.GetTimestamp() + Runtime.ToTicks(timeSpan);
        }
    }

    /// <summary>Requests idle deactivation when this activation has had no activity for its collection age.</summary>
    public bool CollectIfIdle(long now)
    {
        var age = ClassInfo.CollectionAge;
        if (age == Timeout.InfiniteTimeSpan)
        {
            return false;
        }

        lock (this)
        {
            if (_state != ActivationState.Valid || _deactivationRequested || RunningCount > 0 || _pending is { Count: > 0 })
            {
                return false;
            }

            if (now - _lastActivity < Runtime.ToTicks(age) || now < _keepAliveUntil)
            {
                return false;
            }
        }

        Deactivate(new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"Idle for {age}."));
        return true;
    }

    private async Task DeactivateAsync()
    {
        DisposeTimers();
        if (_grain is Grain grain)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Runtime.DeactivationTimeout, Runtime.Time);
                await grain.OnDeactivateAsync(_deactivationReason, timeout.Token).WaitAsync(Runtime.DeactivationTimeout, Runtime.Time);
            }
            catch (Exception ex)
            {
                Runtime.LogDeactivationFailure(GrainId, ex);
            }
        }

        Queue<Message>? forward;
        lock (this)
        {
            _state = ActivationState.Invalid;
            forward = _pending;
            _pending = null;
        }

        Runtime.RemoveActivation(this);
        if (!_standIn)
        {
            Runtime.Metrics.ActivationRemoved();
        }

        _deactivated?.TrySetResult();
        if (forward is not null)
        {
            foreach (var message in forward)
            {
                if (message.Forwardable)
                {
                    Runtime.Forward(GrainId, ClassInfo, message);
                }
            }
        }

        Runtime.TransitionEnded();
    }

    /// <summary>An observer reference was deleted: later calls fail, queued ones fail now.</summary>
    public void Detach()
    {
        Queue<Message>? failed;
        lock (this)
        {
            _state = ActivationState.Invalid;
            failed = _pending;
            _pending = null;
        }

        FailAll(failed, new ObserverNotAvailableException(GrainId));
    }

    private static void FailAll(Queue<Message>? messages, Exception exception)
    {
        if (messages is null)
        {
            return;
        }

        foreach (var message in messages)
        {
            message.Fail(exception);
        }
    }

    // ---- Timers and timeouts -------------------------------------------------------------------------

    public IGrainTimer RegisterTimer(Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        var timer = new GrainTimer(this, callback, state, options);
        lock (this)
        {
            (_timers ??= []).Add(timer);
        }

        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (this)
        {
            _timers?.Remove(timer);
        }
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (this)
        {
            if (_timers is not { Count: > 0 })
            {
                return;
            }

            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    /// <summary>Fails the callers of messages past their deadline. Pending ones are dropped; running ones go on.</summary>
    public void ExpireMessages(long now, List<Message> expired)
    {
        lock (this)
        {
            if (_running is { Count: > 0 })
            {
                foreach (var message in _running)
                {
                    if (message.Deadline != 0 && !message.TimedOut && now >= message.Deadline)
                    {
                        message.TimedOut = true;
                        expired.Add(message);
                    }
                }
            }

            if (_pending is not { Count: > 0 })
            {
                return;
            }

            var first = expired.Count;
            foreach (var message in _pending)
            {
                if (message.Deadline != 0 && now >= message.Deadline)
                {
                    message.TimedOut = true;
                    expired.Add(message);
                }
            }

            if (expired.Count > first)
            {
                _pending = new Queue<Message>(_pending.Where(m => !m.TimedOut));
            }
        }
    }
}

namespace HikiConsult.Actors.Internal;

/// <summary>
/// One activation: the grain object, its mailbox and its turn scheduler. Work items (request starts and the
/// continuations of running requests) run one at a time on the thread pool; the activation is the
/// <see cref="SynchronizationContext"/> of its turns, so code after an <c>await</c> in a grain comes back here.
/// Which pending request may start is decided by the interleaving rules in <see cref="CanStart"/>.
/// All mutable state is guarded by <c>using (Acquire())</c>; nothing slow runs under it.
/// </summary>
internal sealed class ActivationData : SynchronizationContext, IGrainContext, IThreadPoolWorkItem
{
    /// <summary>The activation whose grain is being constructed on this thread (read by the Grain constructor).</summary>
    [ThreadStatic]
    internal static ActivationData? Constructing;

    private const int WorkItemsPerDispatch = 64;

    /// <summary>Work items a caller's thread runs for an activation it started inline before handing it to the pool.</summary>
    private const int WorkItemsInline = 4;

    /// <summary>How deep inline turns may nest on one thread (a grain's inline turn calling another idle grain).</summary>
    private const int MaxInlineDepth = 4;

    /// <summary>How many inline turns are running (nested) on this thread.</summary>
    [ThreadStatic]
    private static int t_inlineDepth;

    /// <summary>
    /// The execution context of a thread-pool work item (no async locals): inline turns run in it, so grain code
    /// sees the same context whichever thread started its turn, and timers it creates capture nothing of the caller.
    /// </summary>
    private static readonly ExecutionContext CleanContext = CaptureCleanContext();

    private static readonly SendOrPostCallback ActivateCallback = static s => _ = ((ActivationData)s!).ActivateAsync();
    private static readonly SendOrPostCallback DeactivateCallback = static s => _ = ((ActivationData)s!).DeactivateAsync();

    /// <summary>
    /// Guards all mutable state (see <see cref="Acquire"/>): a spin lock in one int, because every call takes it
    /// twice, critical sections are a few dozen instructions and never nest, and monitors or
    /// <see cref="Lock"/> pay for a thread lookup on every enter.
    /// </summary>
    private int _locked;

    /// <summary>
    /// Work posted by any thread, newest first (a lock-free stack). The running dispatch takes it whole and turns it
    /// into <see cref="_batch"/>, oldest first; it is only ever touched by the one running dispatch.
    /// </summary>
    private WorkItem? _incoming;
    private WorkItem? _batch;

    /// <summary>1 while this activation is queued on, or running on, the thread pool.</summary>
    private int _scheduled;

    /// <summary>Requests waiting for their turn; null while there are none (most of an idle activation's life).</summary>
    private Queue<Message>? _pending;

    /// <summary>The running request in the common case of one; further ones (interleaving) go to <see cref="_runningMore"/>.</summary>
    private Message? _running;
    private List<Message>? _runningMore;
    private int _runningCount;
    private List<IActivationStateLoader>? _states;
    private List<GrainTimer>? _timers;
    private object? _grain;
    private ActivationState _state;
    private bool _deactivationRequested;
    private bool _hasCallFilters;

    /// <summary>An observer or a test probe: a given object, no grain lifecycle, no call filters.</summary>
    private readonly bool _standIn;
    private long _lastActivity;
    private long _keepAliveUntil;
    private DeactivationReason _deactivationReason;
    private TaskCompletionSource? _deactivated;

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

    /// <summary>Whether requests go through call filters (decided once the grain object exists).</summary>
    public bool HasCallFilters => _hasCallFilters;

    /// <summary>Nothing queued, running, scheduled or in a lifecycle transition (test quiescence).</summary>
    public bool IsIdle
    {
        get
        {
            using (Acquire())
            {
                return Volatile.Read(ref _scheduled) == 0 && Volatile.Read(ref _incoming) is null && _runningCount == 0 && _pending is not { Count: > 0 }
                    && _state is ActivationState.Valid or ActivationState.Invalid;
            }
        }
    }

    /// <summary>Work items are queued or running on the thread pool for this activation.</summary>
    public bool IsScheduled => Volatile.Read(ref _scheduled) != 0 || Volatile.Read(ref _incoming) is not null;

    public int PendingCount
    {
        get
        {
            using (Acquire())
            {
                return _pending?.Count ?? 0;
            }
        }
    }

    // ---- Lock ----------------------------------------------------------------------------------------

    private LockScope Acquire()
    {
        if (Interlocked.CompareExchange(ref _locked, 1, 0) != 0)
        {
            AcquireContended();
        }

        return new LockScope(this);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void AcquireContended()
    {
        // Yield, but never Thread.Sleep(1): a holder that was preempted comes back within a time slice, while a
        // sleeping waiter costs its message a millisecond or more.
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        while (Volatile.Read(ref _locked) != 0 || Interlocked.CompareExchange(ref _locked, 1, 0) != 0);
    }

    private readonly ref struct LockScope(ActivationData owner)
    {
        public void Dispose() => Volatile.Write(ref owner._locked, 0);
    }

    // ---- Mailbox -------------------------------------------------------------------------------------

    /// <summary>Queues a request; false when this activation is gone and the caller must find the next one.</summary>
    public bool TryEnqueue(Message message) => TryEnqueue(message, mayRunInline: false, out _);

    /// <summary>
    /// Queues a request; with <paramref name="mayRunInline"/>, a request that this idle activation can start at once
    /// runs on the calling thread before this returns (see <see cref="RunInline"/>). False when this activation is gone.
    /// </summary>
    public bool TryEnqueue(Message message, bool mayRunInline)
    {
        if (!TryEnqueue(message, mayRunInline, out var runInline))
        {
            return false;
        }

        if (runInline)
        {
            RunInline();
        }

        return true;
    }

    /// <summary>
    /// Queues a request. <paramref name="runInline"/>: the request took the idle dispatch, and the caller must run it
    /// with <see cref="RunInline"/> (after this returns, so never under the lock).
    /// </summary>
    private bool TryEnqueue(Message message, bool mayRunInline, out bool runInline)
    {
        runInline = false;
        using (Acquire())
        {
            switch (_state)
            {
                case ActivationState.Valid:
                    // Fast path: nothing waits and the rules allow it, so it starts without touching the queue.
                    if (!_deactivationRequested && _pending is not { Count: > 0 } && CanStart(message))
                    {
                        runInline = StartLocked(message, mayRunInline && t_inlineDepth < MaxInlineDepth);
                        return true;
                    }

                    (_pending ??= new Queue<Message>()).Enqueue(message);
                    PumpLocked();
                    return true;

                case ActivationState.Invalid:
                    return false;

                case ActivationState.Created:
                    (_pending ??= new Queue<Message>()).Enqueue(message);
                    _state = ActivationState.Activating;
                    Runtime.TransitionStarted();
                    Push(new PostedCallback(ActivateCallback, this));
                    return true;

                default:
                    // Activating: runs once active. Deactivating: forwarded to the next activation.
                    (_pending ??= new Queue<Message>()).Enqueue(message);
                    return true;
            }
        }
    }

    /// <summary>
    /// Queues a timer tick, unless the activation is no longer serving requests. A tick that comes due while
    /// the activation is still activating (a timer registered in OnActivateAsync) waits for it.
    /// </summary>
    public bool TryEnqueueTick(TimerTick tick)
    {
        using (Acquire())
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
            if (_runningCount == 0)
            {
                _state = ActivationState.Deactivating;
                Runtime.TransitionStarted();
                Push(new PostedCallback(DeactivateCallback, this));
            }

            return;
        }

        var pending = _pending;
        if (pending is null)
        {
            return;
        }

        while (pending.Count > 0)
        {
            var next = pending.Peek();
            if (!CanStart(next))
            {
                StartInterleavingBehindLocked();
                return;
            }

            pending.Dequeue();
            StartLocked(next);
        }

        // An idle activation keeps no queue (memory per idle activation matters with a million of them).
        if (_runningCount == 0)
        {
            _pending = null;
        }
    }

    /// <summary>The interleaving rules: see docs/actors.md.</summary>
    private bool CanStart(Message message)
    {
        if (_runningCount == 0 || ClassInfo.Reentrant || message.AlwaysInterleave)
        {
            return true;
        }

        if (!message.ReadOnly || _running is { ReadOnly: false })
        {
            return false;
        }

        if (_runningMore is not null)
        {
            foreach (var running in _runningMore)
            {
                if (!running.ReadOnly)
                {
                    return false;
                }
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

        var any = false;
        foreach (var message in pending)
        {
            any |= message.AlwaysInterleave;
        }

        if (!any)
        {
            return;
        }

        var kept = new Queue<Message>(pending.Count);
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

    private void StartLocked(Message message) => StartLocked(message, claimDispatch: false);

    /// <summary>Starts a request; true when <paramref name="claimDispatch"/> took the (idle) dispatch for the caller's thread.</summary>
    private bool StartLocked(Message message, bool claimDispatch)
    {
        if (_running is null)
        {
            _running = message;
        }
        else
        {
            (_runningMore ??= new List<Message>(2)).Add(message);
        }

        _runningCount++;
        message.Activation = this;
        return Push(message, claimDispatch);
    }

    private void RemoveRunningLocked(Message message)
    {
        if (ReferenceEquals(_running, message))
        {
            _running = null;
        }
        else
        {
            _runningMore!.Remove(message);
        }

        if (--_runningCount == 0)
        {
            _runningMore = null;
        }
    }

    // ---- Turn scheduler ------------------------------------------------------------------------------

    public override void Post(SendOrPostCallback d, object? state) => Push(new PostedCallback(d, state));

    private void Push(WorkItem item) => Push(item, claimDispatch: false);

    /// <summary>
    /// Adds work for a turn (from any thread, with or without the lock) and makes sure a dispatch will run it: the
    /// thread pool, or, when <paramref name="claimDispatch"/> finds no dispatch running, the caller (returns true).
    /// </summary>
    private bool Push(WorkItem item, bool claimDispatch)
    {
        var head = Volatile.Read(ref _incoming);
        while (true)
        {
            item.NextWork = head;
            var seen = Interlocked.CompareExchange(ref _incoming, item, head);
            if (ReferenceEquals(seen, head))
            {
                break;
            }

            head = seen;
        }

        // The push above is a full fence, so this read cannot miss a dispatch that just stopped (see Execute).
        if (Volatile.Read(ref _scheduled) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            if (claimDispatch)
            {
                return true;
            }

            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return false;
    }

    /// <summary>Takes everything pushed so far, oldest first.</summary>
    private WorkItem? TakeIncoming()
    {
        var node = Interlocked.Exchange(ref _incoming, null);
        WorkItem? oldestFirst = null;
        while (node is not null)
        {
            var next = node.NextWork;
            node.NextWork = oldestFirst;
            oldestFirst = node;
            node = next;
        }

        return oldestFirst;
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous sends to a grain activation would block its turn.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// Runs a dispatch claimed by <see cref="TryEnqueue(Message, bool, out bool)"/> on the caller's thread: the
    /// request's turn up to its first await, as a thread-pool work item would, but without waking another thread.
    /// Whatever is still queued after a few items goes to the pool.
    /// </summary>
    private void RunInline()
    {
        t_inlineDepth++;
        try
        {
            ExecutionContext.Run(CleanContext, static state => ((ActivationData)state!).Execute(WorkItemsInline), this);
        }
        finally
        {
            t_inlineDepth--;
        }
    }

    /// <summary>Runs queued work items one at a time; yields the thread after a batch so other activations get a turn.</summary>
    public void Execute() => Execute(WorkItemsPerDispatch);

    private void Execute(int maxItems)
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
            for (var i = 0; i < maxItems; i++)
            {
                var item = _batch ?? TakeIncoming();
                if (item is null)
                {
                    // Stop, unless something was pushed after the take and its pusher saw us still scheduled.
                    Interlocked.Exchange(ref _scheduled, 0);
                    if (Volatile.Read(ref _incoming) is null || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
                    {
                        return;
                    }

                    continue;
                }

                _batch = item.NextWork;
                item.NextWork = null;
                try
                {
                    item.RunTurn(this);
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

    private static ExecutionContext CaptureCleanContext()
    {
        // A thread started while flow is suppressed has no context of its own; what it captures is the default one.
        ExecutionContext? clean = null;
        using (ExecutionContext.SuppressFlow())
        {
            var thread = new Thread(() => clean = ExecutionContext.Capture()) { IsBackground = true, Name = "Grain host context capture" };
            thread.Start();
            thread.Join();
        }

        return clean!;
    }

    // ---- Requests ------------------------------------------------------------------------------------

    internal void RunRequest(Message message)
    {
        if (message.TimedOut)
        {
            // The timeout sweep fails its caller (perhaps a moment from now, on its own thread): answering here
            // would race it with a default result. Only the bookkeeping remains.
            EndRequest(message);
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

        EndRequest(message);
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

    /// <summary>The request no longer runs: let the next ones start (or a requested deactivation begin).</summary>
    private void EndRequest(Message message)
    {
        using (Acquire())
        {
            RemoveRunningLocked(message);
            if (message.CountsAsActivity)
            {
                _lastActivity = Runtime.CoarseNow;
            }

            PumpLocked();
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

            _hasCallFilters = Runtime.CallFilters.Length > 0 || _grain is IIncomingGrainCallFilter;
            if (_states is not null)
            {
                foreach (var state in _states)
                {
                    await state.ReadStateAsync();
                }
            }

            if (_grain is Grain grain && ClassInfo.OverridesOnActivate)
            {
                using var timeout = new CancellationTokenSource(Runtime.DeactivationTimeout, Runtime.Time);
                await grain.OnActivateAsync(timeout.Token);
            }

            using (Acquire())
            {
                _state = ActivationState.Valid;
                _lastActivity = Runtime.CoarseNow;
                PumpLocked();
            }

            Runtime.Metrics.ActivationCreated();
            Runtime.TransitionEnded();
        }
        catch (Exception ex)
        {
            Runtime.LogActivationFailure(GrainId, ex);
            Queue<Message>? failed;
            using (Acquire())
            {
                failed = InvalidateLocked();
            }

            DisposeTimers();
            Runtime.RemoveActivation(this);
            _deactivated?.TrySetResult();
            FailAll(failed, ex);
            Runtime.TransitionEnded();
        }
    }

    /// <summary>
    /// Marks this activation gone and hands back what was still queued. Once nothing runs any more (deactivated,
    /// failed activation) it also drops the grain: references cache activations and may keep a dead one reachable.
    /// </summary>
    private Queue<Message>? InvalidateLocked()
    {
        _state = ActivationState.Invalid;
        var pending = _pending;
        _pending = null;
        if (_runningCount == 0)
        {
            _grain = null;
            _states = null;
        }

        return pending;
    }

    /// <summary>Requests deactivation; it starts as soon as no request runs.</summary>
    public void Deactivate(DeactivationReason reason)
    {
        using (Acquire())
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
        using (Acquire())
        {
            return _state == ActivationState.Invalid ? Task.CompletedTask : (_deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        using (Acquire())
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

        using (Acquire())
        {
            if (_state != ActivationState.Valid || _deactivationRequested || _runningCount > 0 || _pending is { Count: > 0 })
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
        if (_grain is Grain grain && ClassInfo.OverridesOnDeactivate)
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
        using (Acquire())
        {
            forward = InvalidateLocked();
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
        using (Acquire())
        {
            failed = InvalidateLocked();
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
        using (Acquire())
        {
            (_timers ??= []).Add(timer);
        }

        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        using (Acquire())
        {
            _timers?.Remove(timer);
            if (_timers is { Count: 0 })
            {
                _timers = null;
            }
        }
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        using (Acquire())
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
    public void ExpireMessages(long epoch, List<Message> expired)
    {
        // Most activations are idle: skip them without the lock. A request that starts right after this read is
        // looked at by the next sweep, which can only make its timeout late by one period, never early.
        if (Volatile.Read(ref _runningCount) == 0 && Volatile.Read(ref _pending) is null)
        {
            return;
        }

        using (Acquire())
        {
            if (_runningCount > 0)
            {
                ExpireRunning(_running, epoch, expired);
                if (_runningMore is not null)
                {
                    foreach (var message in _runningMore)
                    {
                        ExpireRunning(message, epoch, expired);
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
                if (message.Deadline != 0 && epoch >= message.Deadline)
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

    private static void ExpireRunning(Message? message, long epoch, List<Message> expired)
    {
        if (message is not null && message.Deadline != 0 && !message.TimedOut && epoch >= message.Deadline)
        {
            message.TimedOut = true;
            expired.Add(message);
        }
    }
}

/// <summary>A unit of work for one turn of an activation: a request start or a callback posted to its context.</summary>
internal abstract class WorkItem
{
    /// <summary>Link in an activation's work stack or batch.</summary>
    internal WorkItem? NextWork;

    public abstract void RunTurn(ActivationData activation);
}

/// <summary>A callback posted to an activation's <see cref="SynchronizationContext"/> (await continuations, lifecycle).</summary>
internal sealed class PostedCallback(SendOrPostCallback callback, object? state) : WorkItem
{
    public override void RunTurn(ActivationData activation) => callback(state);
}

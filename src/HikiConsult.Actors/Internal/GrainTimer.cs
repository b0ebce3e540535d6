namespace HikiConsult.Actors.Internal;

/// <summary>
/// A timer whose ticks are turns of its activation. It is always armed one-shot and re-armed after a tick
/// completes, so ticks never overlap themselves and the period runs from the end of one tick to the next.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<object?, CancellationToken, Task> _callback;
    private readonly object? _state;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _cancellation = new();
    private TimeSpan _period;
    private bool _tickInProgress;
    private bool _disposed;

    public GrainTimer(ActivationData activation, Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        _activation = activation;
        _callback = callback;
        _state = state;
        Options = options;
        _period = options.Period;
        _timer = activation.Runtime.Time.CreateTimer(static s => ((GrainTimer)s!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm(options.DueTime);
    }

    public GrainTimerCreationOptions Options { get; }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (this)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _period = period;
        }

        Arm(dueTime);
    }

    public void Dispose()
    {
        lock (this)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
        _cancellation.Cancel();
        _activation.RemoveTimer(this);
    }

    internal Task InvokeCallback() => _callback(_state, _cancellation.Token);

    internal void OnTickCompleted(Task task)
    {
        if (task.IsFaulted)
        {
            _activation.Runtime.LogTimerFailure(_activation.GrainId, task.Exception!.InnerException!);
        }

        TimeSpan period;
        lock (this)
        {
            _tickInProgress = false;
            if (_disposed)
            {
                return;
            }

            period = _period;
        }

        if (period != Timeout.InfiniteTimeSpan)
        {
            Arm(period);
        }
    }

    private void Arm(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        try
        {
            _timer.Change(dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: nothing to arm.
        }
    }

    private void OnDue()
    {
        lock (this)
        {
            if (_disposed || _tickInProgress)
            {
                return;
            }

            _tickInProgress = true;
        }

        if (!_activation.TryEnqueueTick(new TimerTick(this)))
        {
            lock (this)
            {
                _tickInProgress = false;
            }
        }
    }
}

namespace HikiConsult.Actors.Internal;

/// <summary>A unit of work for an activation: a request or a timer tick.</summary>
internal abstract class Message(bool alwaysInterleave, bool readOnly, bool countsAsActivity, bool forwardable) : WorkItem
{
    /// <summary>
    /// The timeout sweep (<see cref="GrainRuntime.SweepEpoch"/>) at which the caller gets a TimeoutException; 0 for
    /// none. Counting sweeps rather than reading a clock per call keeps time off the hot path, and a late sweep can
    /// only make a timeout late, never early.
    /// </summary>
    public long Deadline;

    public bool TimedOut;

    public readonly bool AlwaysInterleave = alwaysInterleave;
    public readonly bool ReadOnly = readOnly;

    /// <summary>Whether running it resets the idle clock.</summary>
    public readonly bool CountsAsActivity = countsAsActivity;

    /// <summary>Whether it moves to the next activation when this one deactivates before running it.</summary>
    public readonly bool Forwardable = forwardable;

    /// <summary>Set when the message starts on an activation.</summary>
    public ActivationData? Activation;

    /// <summary>When it was sent, only while the call duration is measured (0 otherwise).</summary>
    public long SentTimestamp;

    public abstract string Name { get; }

    /// <summary>Its turn has come: the activation runs it.</summary>
    public sealed override void RunTurn(ActivationData activation) => activation.RunRequest(this);

    /// <summary>Runs the work on the activation's turn and returns its task.</summary>
    public abstract Task Invoke(ActivationData activation);

    /// <summary>Reports the finished task to whoever waits for it.</summary>
    public abstract void Complete(Task task);

    /// <summary>Fails the caller without running (timeout, activation failure, shutdown).</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A call to a grain or observer method.</summary>
internal sealed class Request<TResult> : Message
{
    private readonly GrainMethod _method;
    private readonly object?[] _args;
    private readonly TaskCompletionSource<TResult>? _response;

    public Request(GrainMethod method, object?[] args, GrainRuntime runtime)
        : base(method.AlwaysInterleave, method.ReadOnly, countsAsActivity: true, forwardable: true)
    {
        _method = method;
        _args = args;
        if (runtime.Metrics.MeasuresCallDuration)
        {
            SentTimestamp = runtime.Time.GetTimestamp();
        }

        if (!method.OneWay)
        {
            _response = new TaskCompletionSource<TResult>();
            Deadline = runtime.ResponseDeadline;
        }
    }

    public Task<TResult>? ResponseTask => _response?.Task;
    public GrainMethod Method => _method;
    public object?[] Arguments => _args;
    public override string Name => _method.Name;

    public override Task Invoke(ActivationData activation)
    {
        var grain = activation.GrainInstance!;
        if (activation.HasCallFilters)
        {
            return new IncomingGrainCallContext(activation, this, grain).InvokeAll<TResult>();
        }

        return _method.Invoke(grain, _args);
    }

    public override void Complete(Task task)
    {
        if (_response is null)
        {
            if (task.IsFaulted)
            {
                Activation?.Runtime.LogOneWayFailure(Name, task.Exception!.InnerException!);
            }

            return;
        }

        if (task.IsFaulted)
        {
            var inner = task.Exception!.InnerExceptions;
            _response.TrySetException(inner.Count == 1 ? inner[0] : task.Exception);
        }
        else if (task.IsCanceled)
        {
            _response.TrySetCanceled();
        }
        else
        {
            _response.TrySetResult(GrainMethod<TResult>.GetResult(task));
        }
    }

    public override void Fail(Exception exception)
    {
        if (_response is null)
        {
            Activation?.Runtime.LogOneWayFailure(Name, exception);
            return;
        }

        _response.TrySetException(exception);
    }
}

/// <summary>One tick of a grain timer.</summary>
internal sealed class TimerTick(GrainTimer timer)
    : Message(timer.Options.Interleave, readOnly: false, countsAsActivity: timer.Options.KeepAlive, forwardable: false)
{
    public override string Name => "timer tick";

    public override Task Invoke(ActivationData activation) => timer.InvokeCallback();

    public override void Complete(Task task) => timer.OnTickCompleted(task);

    public override void Fail(Exception exception) => timer.OnTickCompleted(Task.FromException(exception));
}

/// <summary>Finds an exception type inside wrapped and aggregate exceptions.</summary>
internal static class ExceptionHelper
{
    public static bool Contains<TException>(Exception? exception) where TException : Exception => exception switch
    {
        null => false,
        TException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(Contains<TException>),
        _ => Contains<TException>(exception.InnerException),
    };
}

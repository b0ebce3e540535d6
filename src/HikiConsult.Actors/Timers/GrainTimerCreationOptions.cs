namespace HikiConsult.Actors;

/// <summary>How a grain timer ticks.</summary>
public readonly record struct GrainTimerCreationOptions
{
    public GrainTimerCreationOptions() { }

    public GrainTimerCreationOptions(TimeSpan dueTime, TimeSpan period)
    {
        DueTime = dueTime;
        Period = period;
    }

    /// <summary>Time to the first tick.</summary>
    public TimeSpan DueTime { get; init; }

    /// <summary>Time from the end of one tick to the next; <see cref="Timeout.InfiniteTimeSpan"/> for a single tick.</summary>
    public TimeSpan Period { get; init; }

    /// <summary>Default false: a tick waits for the running request like any other request. True: it may interleave.</summary>
    public bool Interleave { get; init; }

    /// <summary>Default false: ticks do not count as activity, so idle collection may deactivate the grain.</summary>
    public bool KeepAlive { get; init; }
}

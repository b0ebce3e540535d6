namespace HikiConsult.Actors;

/// <summary>A timer owned by an activation. Disposing it stops further ticks.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Reschedules the timer; <see cref="Timeout.InfiniteTimeSpan"/> as period makes it one-shot.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}

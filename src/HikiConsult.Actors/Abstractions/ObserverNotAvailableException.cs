namespace HikiConsult.Actors;

/// <summary>
/// The observer behind a reference was deleted (<see cref="IGrainFactory.DeleteObjectReference{T}"/>).
/// Thrown synchronously by the call, so <see cref="Utilities.ObserverManager{TObserver}"/> drops the subscriber.
/// </summary>
public sealed class ObserverNotAvailableException(GrainId observerId)
    : Exception($"Observer {observerId} is no longer available.")
{
    public GrainId ObserverId { get; } = observerId;
}

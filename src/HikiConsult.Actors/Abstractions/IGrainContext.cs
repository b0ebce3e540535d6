namespace HikiConsult.Actors;

/// <summary>The runtime's view of one activation, as grain code and storage see it.</summary>
public interface IGrainContext
{
    GrainId GrainId { get; }

    /// <summary>The grain object (or the observer object for an observer reference).</summary>
    object? GrainInstance { get; }

    IServiceProvider ActivationServices { get; }

    /// <summary>Asks the runtime to deactivate this activation once the current turn ends.</summary>
    void Deactivate(DeactivationReason reason);
}

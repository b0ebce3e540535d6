using HikiConsult.Actors.Internal;

namespace HikiConsult.Actors;

/// <summary>
/// Base class of every grain. Grains are created by the grain host from DI (constructor injection, with
/// <see cref="Runtime.PersistentStateAttribute"/> parameters for state); never construct one yourself.
/// </summary>
public abstract class Grain : IAddressable
{
    private readonly ActivationData _activation;

    protected Grain()
    {
        _activation = ActivationData.Constructing
            ?? throw new InvalidOperationException("Grains are created by the grain host. Use IGrainFactory.GetGrain to reach one.");
    }

    /// <summary>This activation as the runtime sees it (id, services, deactivation).</summary>
    public IGrainContext GrainContext => _activation;

    protected IGrainFactory GrainFactory => _activation.Runtime;

    protected IServiceProvider ServiceProvider => _activation.ActivationServices;

    /// <summary>Runs once per activation, after persistent state is read and before the first request.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once per activation when it is deactivated (idle, on request, on shutdown), after the last turn.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation as soon as the current turn ends.</summary>
    protected void DeactivateOnIdle() =>
        _activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>Keeps this activation from idle collection for at least this long from now.</summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => _activation.DelayDeactivation(timeSpan);

    /// <summary>Registers a timer whose ticks run as turns of this activation. See <see cref="GrainTimerCreationOptions"/>.</summary>
    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _activation.RegisterTimer((s, ct) => callback((TState)s!, ct), state, options);
    }

    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _activation.RegisterTimer((_, ct) => callback(ct), null, options);
    }

    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));

    protected IGrainTimer RegisterGrainTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _activation.RegisterTimer((_, _) => callback(), null, new GrainTimerCreationOptions(dueTime, period));
    }
}

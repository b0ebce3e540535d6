namespace HikiConsult.Actors.Tests.Grains;

/// <summary>Grains for idle collection: they record activation and deactivation (with the reason).</summary>
public interface IIdleGrain : IGrainWithStringKey
{
    Task Touch();

    Task KeepAliveFor(TimeSpan span);

    Task DeactivateSoon();
}

public interface IShortLivedGrain : IGrainWithStringKey
{
    Task Touch();
}

public interface IEternalGrain : IGrainWithStringKey
{
    Task Touch();
}

public abstract class RecordingGrain(GrainEvents events) : Grain
{
    protected GrainEvents Events => events;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        events.Record("activate:" + this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        events.Record($"deactivate:{this.GetPrimaryKeyString()}:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task Touch() => Task.CompletedTask;
}

public sealed class IdleGrain(GrainEvents events) : RecordingGrain(events), IIdleGrain
{
    public Task KeepAliveFor(TimeSpan span)
    {
        DelayDeactivation(span);
        return Task.CompletedTask;
    }

    public Task DeactivateSoon()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

[CollectionAgeLimit(Minutes = 2)]
public sealed class ShortLivedGrain(GrainEvents events) : RecordingGrain(events), IShortLivedGrain;

[CollectionAgeLimit(AlwaysActive = true)]
public sealed class EternalGrain(GrainEvents events) : RecordingGrain(events), IEternalGrain;

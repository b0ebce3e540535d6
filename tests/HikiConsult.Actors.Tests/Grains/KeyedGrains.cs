namespace HikiConsult.Actors.Tests.Grains;

public interface IGuidKeyedGrain : IGrainWithGuidKey
{
    Task<Guid> Key();
}

public sealed class GuidKeyedGrain : Grain, IGuidKeyedGrain
{
    public Task<Guid> Key() => Task.FromResult(this.GetPrimaryKey());
}

public interface IIntegerKeyedGrain : IGrainWithIntegerKey
{
    Task<long> Key();
}

public sealed class IntegerKeyedGrain : Grain, IIntegerKeyedGrain
{
    public Task<long> Key() => Task.FromResult(this.GetPrimaryKeyLong());
}

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task<string> Hello();
}

/// <summary>OnActivateAsync fails for keys starting with "bad".</summary>
public sealed class FailingActivationGrain(GrainEvents events) : Grain, IFailingActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        events.Record("activate:" + this.GetPrimaryKeyString());
        return this.GetPrimaryKeyString().StartsWith("bad", StringComparison.Ordinal)
            ? Task.FromException(new InvalidOperationException("activation refused"))
            : Task.CompletedTask;
    }

    public Task<string> Hello() => Task.FromResult("hello");
}

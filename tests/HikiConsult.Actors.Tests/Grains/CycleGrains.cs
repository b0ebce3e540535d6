using HikiConsult.Actors.Concurrency;

namespace HikiConsult.Actors.Tests.Grains;

/// <summary>A → B → A call chains.</summary>
public interface ICycleOperations : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="other"/>, which calls this grain back.</summary>
    Task<string> CallThrough(string other);

    Task<string> CallBack(string origin);

    Task<string> Ping();
}

public interface ICycleGrain : ICycleOperations;

public interface IReentrantCycleGrain : ICycleOperations;

public abstract class CycleGrainBase<TSelf> : Grain, ICycleOperations where TSelf : ICycleOperations, IGrainWithStringKey
{
    public Task<string> CallThrough(string other) => GrainFactory.GetGrain<TSelf>(other).CallBack(this.GetPrimaryKeyString());

    public async Task<string> CallBack(string origin) => this.GetPrimaryKeyString() + ">" + await GrainFactory.GetGrain<TSelf>(origin).Ping();

    public Task<string> Ping() => Task.FromResult(this.GetPrimaryKeyString());
}

public sealed class CycleGrain : CycleGrainBase<ICycleGrain>, ICycleGrain;

[Reentrant]
public sealed class ReentrantCycleGrain : CycleGrainBase<IReentrantCycleGrain>, IReentrantCycleGrain;

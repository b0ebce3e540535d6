namespace HikiConsult.Actors.Tests.Grains;

/// <summary>A collaborator that no grain class in this assembly implements: only probes can serve it.</summary>
public interface INotifierGrain : IGrainWithStringKey
{
    Task Notify(string orderId, string item);
}

public interface IInventoryGrain : IGrainWithStringKey
{
    Task<bool> Reserve(string item);
}

/// <summary>The real inventory: nothing is in stock. Probes replace it in tests.</summary>
public sealed class InventoryGrain : Grain, IInventoryGrain
{
    public Task<bool> Reserve(string item) => Task.FromResult(false);
}

public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Reserves the item in inventory "main" and notifies notifier "ops"; returns whether it was reserved.</summary>
    Task<bool> Place(string item);
}

public sealed class OrderGrain : Grain, IOrderGrain
{
    public async Task<bool> Place(string item)
    {
        var reserved = await GrainFactory.GetGrain<IInventoryGrain>("main").Reserve(item);
        if (reserved)
        {
            await GrainFactory.GetGrain<INotifierGrain>("ops").Notify(this.GetPrimaryKeyString(), item);
        }

        return reserved;
    }
}

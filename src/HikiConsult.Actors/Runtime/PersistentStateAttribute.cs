namespace HikiConsult.Actors.Runtime;

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>.</summary>
/// <param name="stateName">Name of the state within the grain (part of the storage key).</param>
/// <param name="storageName">Name of the <see cref="Storage.IGrainStorage"/> provider; "Default" when omitted.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;
    public string? StorageName { get; } = storageName;
}

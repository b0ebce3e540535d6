using System.Diagnostics;
using HikiConsult.Actors.Runtime;
using HikiConsult.Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Actors.Internal;

/// <summary>Creates the persistent states a grain constructor asks for.</summary>
internal static class PersistentState
{
    public const string DefaultStorageName = "Default";

    public static object Create<TState>(ActivationData activation, PersistentStateAttribute attribute)
    {
        var storageName = attribute.StorageName ?? DefaultStorageName;
        var storage = activation.ActivationServices.GetKeyedService<IGrainStorage>(storageName)
            ?? throw new InvalidOperationException($"No grain storage named \"{storageName}\" is registered (state \"{attribute.StateName}\" of {activation.GrainId}).");
        var state = new PersistentState<TState>(activation, attribute.StateName, storageName, storage);
        activation.AddPersistentState(state);
        return state;
    }
}

/// <summary>Something read before activation.</summary>
internal interface IActivationStateLoader
{
    Task ReadStateAsync();
}

internal sealed class PersistentState<TState>(ActivationData activation, string stateName, string storageName, IGrainStorage storage)
    : IPersistentState<TState>, IGrainState<TState>, IActivationStateLoader
{
    public TState State { get; set; } = CreateDefault();
    public string? Etag { get; private set; }
    public bool RecordExists { get; set; }

    string? IGrainState<TState>.ETag { get => Etag; set => Etag = value; }

    public Task ReadStateAsync() => Measure("read", async () =>
    {
        await storage.ReadStateAsync(stateName, activation.GrainId, this);
        State ??= CreateDefault();
    });

    public Task WriteStateAsync() => Measure("write", async () =>
    {
        try
        {
            await storage.WriteStateAsync(stateName, activation.GrainId, this);
        }
        catch (InconsistentStateException ex)
        {
            activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, $"State \"{stateName}\" changed in storage; reloading on the next call.", ex));
            throw;
        }
    });

    public Task ClearStateAsync() => Measure("clear", async () =>
    {
        try
        {
            await storage.ClearStateAsync(stateName, activation.GrainId, this);
            State = CreateDefault();
        }
        catch (InconsistentStateException ex)
        {
            activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, $"State \"{stateName}\" changed in storage; reloading on the next call.", ex));
            throw;
        }
    });

    private async Task Measure(string operation, Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await action();
        }
        finally
        {
            activation.Runtime.Metrics.RecordStorage(operation, storageName, Stopwatch.GetElapsedTime(start));
        }
    }

    /// <summary>A fresh state: the parameterless constructor, or one whose parameters all have defaults (records).</summary>
    private static TState CreateDefault()
    {
        var type = typeof(TState);
        if (type.IsValueType || type.GetConstructor(Type.EmptyTypes) is not null)
        {
            return Activator.CreateInstance<TState>();
        }

        var constructor = type.GetConstructors().FirstOrDefault(c => c.GetParameters().All(p => p.HasDefaultValue));
        return constructor is null ? default! : (TState)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
    }
}

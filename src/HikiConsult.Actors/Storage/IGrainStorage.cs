using HikiConsult.Actors.Runtime;

namespace HikiConsult.Actors.Storage;

/// <summary>
/// A grain state store. Providers are registered as keyed singletons by provider name
/// (see <see cref="Hosting.GrainHostBuilderExtensions"/>); "Default" is used when a state names none.
/// Every write and clear must compare <see cref="IGrainState{T}.ETag"/> with the stored one and throw
/// <see cref="InconsistentStateException"/> on a mismatch.
/// </summary>
public interface IGrainStorage
{
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}

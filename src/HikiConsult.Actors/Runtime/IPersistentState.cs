namespace HikiConsult.Actors.Runtime;

/// <summary>
/// One named piece of a grain's durable state, injected through a constructor parameter marked with
/// <see cref="PersistentStateAttribute"/>. It is read before <see cref="Grain.OnActivateAsync"/> runs.
/// </summary>
public interface IPersistentState<TState>
{
    /// <summary>The state as last read or written; a new instance when no record exists.</summary>
    TState State { get; set; }

    /// <summary>The version tag that the next write must match; null when no record exists.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    /// <summary>Writes <see cref="State"/>; throws <see cref="Storage.InconsistentStateException"/> if the record changed since it was read.</summary>
    Task WriteStateAsync();

    Task ClearStateAsync();
}

using System.Globalization;
using System.Text.Json;
using HikiConsult.Actors.Runtime;

namespace HikiConsult.Actors.Storage;

/// <summary>
/// Grain storage in memory, for tests and demos. State goes through JSON both ways, so a grain never shares an
/// object with the store, and etags are checked exactly as a database provider checks them.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<(string Type, string Key, string State), (string Json, long Version)> _records = new();
    private long _reads;
    private long _writes;
    private long _clears;

    public long Reads => Interlocked.Read(ref _reads);
    public long Writes => Interlocked.Read(ref _writes);
    public long Clears => Interlocked.Read(ref _clears);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Interlocked.Increment(ref _reads);
        lock (_records)
        {
            if (_records.TryGetValue((grainId.Type, grainId.Key, stateName), out var record))
            {
                grainState.State = JsonSerializer.Deserialize<T>(record.Json, SqliteGrainStorageOptions.DefaultJsonOptions)!;
                grainState.ETag = record.Version.ToString(CultureInfo.InvariantCulture);
                grainState.RecordExists = true;
            }
            else
            {
                grainState.State = default!;
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Interlocked.Increment(ref _writes);
        var json = JsonSerializer.Serialize(grainState.State, SqliteGrainStorageOptions.DefaultJsonOptions);
        lock (_records)
        {
            var key = (grainId.Type, grainId.Key, stateName);
            var stored = _records.TryGetValue(key, out var record) ? record.Version.ToString(CultureInfo.InvariantCulture) : null;
            if (stored != grainState.ETag)
            {
                throw new InconsistentStateException($"State \"{stateName}\" of {grainId} was changed by another writer.", stored, grainState.ETag);
            }

            var version = record.Version + 1;
            _records[key] = (json, version);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Interlocked.Increment(ref _clears);
        lock (_records)
        {
            var key = (grainId.Type, grainId.Key, stateName);
            var stored = _records.TryGetValue(key, out var record) ? record.Version.ToString(CultureInfo.InvariantCulture) : null;
            if (stored != grainState.ETag)
            {
                throw new InconsistentStateException($"State \"{stateName}\" of {grainId} was changed by another writer.", stored, grainState.ETag);
            }

            _records.Remove(key);
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    /// <summary>Puts a record in the store directly (test set-up); returns its etag.</summary>
    public string SetRecord<T>(GrainId grainId, string stateName, T state)
    {
        lock (_records)
        {
            var key = (grainId.Type, grainId.Key, stateName);
            var version = (_records.TryGetValue(key, out var record) ? record.Version : 0) + 1;
            _records[key] = (JsonSerializer.Serialize(state, SqliteGrainStorageOptions.DefaultJsonOptions), version);
            return version.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Whether a record exists (test inspection).</summary>
    public bool HasRecord(GrainId grainId, string stateName)
    {
        lock (_records)
        {
            return _records.ContainsKey((grainId.Type, grainId.Key, stateName));
        }
    }

    /// <summary>Reads a record directly (test inspection); default when none.</summary>
    public T? GetRecord<T>(GrainId grainId, string stateName)
    {
        lock (_records)
        {
            return _records.TryGetValue((grainId.Type, grainId.Key, stateName), out var record)
                ? JsonSerializer.Deserialize<T>(record.Json, SqliteGrainStorageOptions.DefaultJsonOptions)
                : default;
        }
    }
}

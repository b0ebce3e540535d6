using System.Collections.Concurrent;
using HikiConsult.Actors.Runtime;
using HikiConsult.Actors.Storage;

namespace HikiConsult.Actors.TestKit;

/// <summary>
/// The test host's grain storage: a <see cref="MemoryGrainStorage"/> (JSON copies, real etag checks) that counts
/// operations per grain and lets a test hold or fail an operation through the <c>Before…</c> hooks.
/// </summary>
public sealed class TestGrainStorage : IGrainStorage
{
    private readonly MemoryGrainStorage _inner = new();
    private readonly ConcurrentDictionary<(GrainId Grain, string Operation), int> _counts = new();
    private int _reads;
    private int _writes;
    private int _clears;

    /// <summary>Runs before each read; throw (or return a faulted task) to fail it, await something to hold it.</summary>
    public Func<GrainId, string, Task>? BeforeRead { get; set; }

    /// <summary>Runs before each write; throw to fail it, await something to hold it.</summary>
    public Func<GrainId, string, Task>? BeforeWrite { get; set; }

    /// <summary>Runs before each clear; throw to fail it, await something to hold it.</summary>
    public Func<GrainId, string, Task>? BeforeClear { get; set; }

    public int Reads => Volatile.Read(ref _reads);
    public int Writes => Volatile.Read(ref _writes);
    public int Clears => Volatile.Read(ref _clears);

    public int ReadsOf(IAddressable grain) => Count(grain.GetGrainId(), "read");
    public int WritesOf(IAddressable grain) => Count(grain.GetGrainId(), "write");
    public int ClearsOf(IAddressable grain) => Count(grain.GetGrainId(), "clear");

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Record(grainId, "read", ref _reads);
        if (BeforeRead is { } hook)
        {
            await hook(grainId, stateName);
        }

        await _inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Record(grainId, "write", ref _writes);
        if (BeforeWrite is { } hook)
        {
            await hook(grainId, stateName);
        }

        await _inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Record(grainId, "clear", ref _clears);
        if (BeforeClear is { } hook)
        {
            await hook(grainId, stateName);
        }

        await _inner.ClearStateAsync(stateName, grainId, grainState);
    }

    /// <summary>Stores a record as if another writer had; returns its new etag. An active grain's next write conflicts.</summary>
    public string SetState<T>(GrainId grainId, string stateName, T state) => _inner.SetRecord(grainId, stateName, state);

    /// <summary>The stored record (a fresh copy), or default when there is none.</summary>
    public T? GetState<T>(GrainId grainId, string stateName) => _inner.GetRecord<T>(grainId, stateName);

    /// <summary>Whether a record exists for this grain and state.</summary>
    public bool HasState(GrainId grainId, string stateName) => _inner.HasRecord(grainId, stateName);

    private int Count(GrainId grainId, string operation) => _counts.TryGetValue((grainId, operation), out var count) ? count : 0;

    private void Record(GrainId grainId, string operation, ref int total)
    {
        Interlocked.Increment(ref total);
        _counts.AddOrUpdate((grainId, operation), 1, static (_, count) => count + 1);
    }
}

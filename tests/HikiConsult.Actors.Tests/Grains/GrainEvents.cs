using System.Collections.Concurrent;

namespace HikiConsult.Actors.Tests.Grains;

/// <summary>What test grains did (constructed, activated, deactivated, ticked), recorded per host through DI.</summary>
public sealed class GrainEvents
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> All => [.. _events];

    public void Record(string what) => _events.Enqueue(what);

    public int Count(string what) => _events.Count(e => e == what);

    public int CountStartingWith(string prefix) => _events.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));
}

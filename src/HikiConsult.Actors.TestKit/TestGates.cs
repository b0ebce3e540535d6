using System.Collections.Concurrent;

namespace HikiConsult.Actors.TestKit;

/// <summary>
/// Named gates that hold grain code at a chosen point so a test can look at the host while a turn is in the middle
/// of something. Grain code calls <see cref="Pass"/>; a test <see cref="Arm"/>s a gate, waits with
/// <see cref="WhenEntered"/> until some code reached it, asserts, then <see cref="Release"/>s it.
/// </summary>
public sealed class TestGates
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Closes a gate: code that passes it waits until it is released.</summary>
    public void Arm(string name) => _gates.GetOrAdd(name, static _ => new Gate());

    /// <summary>Waits at the gate if it is armed and not yet released; passes at once otherwise.</summary>
    public Task Pass(string name)
    {
        if (!_gates.TryGetValue(name, out var gate))
        {
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref gate.Arrivals);
        gate.Entered.TrySetResult();
        return gate.Released.Task;
    }

    /// <summary>Completes when code reached the armed gate (fails after a generous timeout).</summary>
    public Task WhenEntered(string name, TimeSpan? timeout = null) =>
        _gates.GetOrAdd(name, static _ => new Gate()).Entered.Task.WaitAsync(timeout ?? DefaultWait);

    public bool HasEntered(string name) => _gates.TryGetValue(name, out var gate) && gate.Entered.Task.IsCompleted;

    /// <summary>How many times code reached the gate.</summary>
    public int Arrivals(string name) => _gates.TryGetValue(name, out var gate) ? Volatile.Read(ref gate.Arrivals) : 0;

    /// <summary>Opens the gate for everyone waiting there and everyone who comes later.</summary>
    public void Release(string name) => _gates.GetOrAdd(name, static _ => new Gate()).Released.TrySetResult();

    private sealed class Gate
    {
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Arrivals;
    }
}

namespace HikiConsult.Actors.TestKit;

/// <summary>
/// Detects overlapping execution: grain code wraps a region (typically one spanning awaits) in
/// <c>using (probe.Enter()) { ... }</c>, and <see cref="MaxConcurrency"/> tells how many were ever inside at once.
/// </summary>
public sealed class ConcurrencyProbe
{
    private int _current;
    private int _max;
    private long _entries;

    public int MaxConcurrency => Volatile.Read(ref _max);

    public int Current => Volatile.Read(ref _current);

    public long Entries => Interlocked.Read(ref _entries);

    public Scope Enter()
    {
        Interlocked.Increment(ref _entries);
        var now = Interlocked.Increment(ref _current);
        var max = Volatile.Read(ref _max);
        while (now > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, now, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }

        return new Scope(this);
    }

    public readonly struct Scope(ConcurrencyProbe probe) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref probe._current);
    }
}

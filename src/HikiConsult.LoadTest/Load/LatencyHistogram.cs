using System.Diagnostics;
using HdrHistogram;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Latencies in Stopwatch ticks, counted in an HdrHistogram instead of kept and sorted: constant memory however many
/// messages a phase relays. Percentiles hold <c>significantDigits</c> digits (from 1 µs to an hour; a longer latency
/// counts as an hour); the maximum is kept exactly.
/// </summary>
public sealed class LatencyHistogram(int significantDigits = 3)
{
    private static readonly long Lowest = Math.Max(1, Stopwatch.Frequency / 1_000_000);
    private static readonly long Highest = Stopwatch.Frequency * 3600;

    private readonly LongHistogram _counts = new(Lowest, Highest, significantDigits);
    private long _max;

    public long Count => _counts.TotalCount;

    public void Record(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        _counts.RecordValue(Math.Clamp(ticks, Lowest, Highest));
        _max = Math.Max(_max, ticks);
    }

    /// <summary>The latency below or at which <paramref name="percentile"/> percent of the recorded ones lie, in ticks.</summary>
    public long ValueAtPercentile(double percentile) => Math.Min(_counts.GetValueAtPercentile(percentile), _max);

    public long Max => _max;
}

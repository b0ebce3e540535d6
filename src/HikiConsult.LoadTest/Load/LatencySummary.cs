using System.Diagnostics;

namespace HikiConsult.LoadTest.Load;

/// <summary>Percentiles of a set of latencies, from a sorted copy (nearest-rank).</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static readonly LatencySummary Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <param name="ticks">Stopwatch ticks; sorted in place.</param>
    public static LatencySummary FromStopwatchTicks(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return Empty;
        }

        Array.Sort(ticks);
        return new LatencySummary(
            ticks.Length,
            Percentile(ticks, 0.50),
            Percentile(ticks, 0.90),
            Percentile(ticks, 0.99),
            Percentile(ticks, 0.999),
            ToMs(ticks[^1]));
    }

    /// <summary>Nearest-rank percentile of sorted ticks, in milliseconds.</summary>
    public static double Percentile(long[] sorted, double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Length);
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return ToMs(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }

    public static double ToMs(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;
}

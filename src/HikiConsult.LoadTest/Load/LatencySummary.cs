namespace HikiConsult.LoadTest.Load;

/// <summary>Percentiles of a set of latencies, read from a <see cref="LatencyHistogram"/>.</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static readonly LatencySummary Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static LatencySummary From(LatencyHistogram latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        if (latencies.Count == 0)
        {
            return Empty;
        }

        return new LatencySummary(
            (int)latencies.Count,
            ToMs(latencies.ValueAtPercentile(50)),
            ToMs(latencies.ValueAtPercentile(90)),
            ToMs(latencies.ValueAtPercentile(99)),
            ToMs(latencies.ValueAtPercentile(99.9)),
            ToMs(latencies.Max));
    }

    /// <param name="ticks">Stopwatch ticks.</param>
    public static LatencySummary FromStopwatchTicks(IEnumerable<long> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        var latencies = new LatencyHistogram();
        foreach (var value in ticks)
        {
            latencies.Record(value);
        }

        return From(latencies);
    }

    public static double ToMs(long stopwatchTicks) => stopwatchTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}

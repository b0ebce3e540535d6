using System.Diagnostics;
using HikiConsult.LoadTest.Load;

namespace HikiConsult.Client.Tests.Load;

/// <summary>The load tool's reading of a process's garbage collection and thread-pool work around a phase.</summary>
public sealed class RuntimeCostTests
{
    [Fact]
    public void Two_readings_subtract_and_each_collection_counts_once_in_its_own_generation()
    {
        // Counters include younger generations: a gen2 collection also counts as gen1 and gen0.
        var start = new RuntimeReading(AllocatedBytes: 1_000_000, Gen0Collections: 10, Gen1Collections: 3, Gen2Collections: 1, GcPauseMilliseconds: 100, ThreadPoolCompletedWorkItems: 40_000);
        var end = new RuntimeReading(AllocatedBytes: 31_000_000, Gen0Collections: 20, Gen1Collections: 5, Gen2Collections: 2, GcPauseMilliseconds: 600, ThreadPoolCompletedWorkItems: 49_000);

        var cost = RuntimeCost.Between(start, end, wallMs: 20_000);

        Assert.Equal((8, 1, 1), (cost.Gen0, cost.Gen1, cost.Gen2));
        Assert.Equal(10, cost.Collections);
        Assert.Equal(500, cost.PauseMs);
        Assert.Equal(0.025, cost.PauseShare, 6);
        Assert.Equal(50, cost.MeanPauseMs);
        Assert.Equal(2, cost.SecondsBetweenCollections);
        Assert.Equal(15_000, cost.AllocatedBytesPer(2_000));
        Assert.Equal(4.5, cost.PoolWorkItemsPer(2_000));
    }

    [Fact]
    public void A_phase_without_collections_has_no_mean_pause_and_no_interval()
    {
        var reading = new RuntimeReading(5, 1, 1, 1, 10);

        var cost = RuntimeCost.Between(reading, reading, wallMs: 1_000);

        Assert.Equal(0, cost.Collections);
        Assert.Equal(0, cost.MeanPauseMs);
        Assert.True(double.IsPositiveInfinity(cost.SecondsBetweenCollections));
        Assert.True(double.IsNaN(cost.AllocatedBytesPer(0)));
        Assert.True(double.IsNaN(cost.PoolWorkItemsPer(0)));
    }

    [Fact]
    public void The_report_lists_each_observed_process_of_each_phase()
    {
        var tracker = new PhaseTracker(run: 1, capacity: 4);
        var start = Stopwatch.GetTimestamp();
        var id = tracker.NextId();
        tracker.MarkSending(id);
        tracker.MarkAcked(id);
        var unobserved = tracker.Summarize("bare relay", "open loop 2000/s", 2, 2, start, Stopwatch.GetTimestamp() + 1, 0, 0, 0, CpuCost.None);
        var bare = unobserved with
        {
            ToolRuntime = RuntimeCost.Between(new RuntimeReading(0, 0, 0, 0, 0), new RuntimeReading(1024, 2, 0, 0, 30, ThreadPoolCompletedWorkItems: 5), wallMs: 1_000),
        };
        var server = bare with
        {
            Target = "server",
            Runtime = RuntimeCost.Between(new RuntimeReading(0, 0, 0, 0, 0), new RuntimeReading(2048, 4, 1, 0, 40, ThreadPoolCompletedWorkItems: 9), wallMs: 2_000),
        };

        Assert.Equal("", Report.RuntimeTable([unobserved]));
        var table = Report.RuntimeTable([bare, server]);

        // The bare relay lives in the tool's process: one row; the server's phase has a row per process.
        Assert.Contains("| bare relay | open loop 2000/s | load tool | 2 / 0 / 0 | 0.50 s | 30 | 15.0 | 3.0% | 1.0 KB | 5.0 |", table);
        Assert.DoesNotContain("| bare relay | open loop 2000/s | server |", table);
        Assert.Contains("| server | open loop 2000/s | load tool | 2 / 0 / 0 | 0.50 s | 30 | 15.0 | 3.0% | 1.0 KB | 5.0 |", table);
        Assert.Contains("| server | open loop 2000/s | server | 3 / 1 / 0 | 0.50 s | 40 | 10.0 | 2.0% | 2.0 KB | 9.0 |", table);
    }
}

using System.Net.Http.Json;
using System.Text.Json;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// A reading of a target process's <c>GET /api/runtime</c> (the fields the load tool uses): the server answers it to
/// its admin, the bare relay's process to anyone.
/// </summary>
public sealed record RuntimeReading(
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseMilliseconds,
    long ThreadPoolCompletedWorkItems = 0)
{
    /// <summary>The same counters of this tool's own process (the load clients, and the bare relay when it runs).</summary>
    public static RuntimeReading OfThisProcess() => new(
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalMilliseconds,
        ThreadPool.CompletedWorkItemCount);

    /// <summary>The counters of several processes added up (the nodes of a cluster).</summary>
    public RuntimeReading Plus(RuntimeReading other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            AllocatedBytes + other.AllocatedBytes,
            Gen0Collections + other.Gen0Collections,
            Gen1Collections + other.Gen1Collections,
            Gen2Collections + other.Gen2Collections,
            GcPauseMilliseconds + other.GcPauseMilliseconds,
            ThreadPoolCompletedWorkItems + other.ThreadPoolCompletedWorkItems);
    }

    /// <summary>Reads <c>GET /api/runtime</c> with <paramref name="http"/> (its base address and credentials).</summary>
    public static async Task<RuntimeReading> ReadAsync(HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        return await http.GetFromJsonAsync<RuntimeReading>("/api/runtime", JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidOperationException($"{http.BaseAddress} answered /api/runtime without a body.");
    }
}

/// <summary>
/// A process's runtime counters over a phase (load and drain): collections per generation, the time the process was
/// paused, bytes allocated, and work items the thread pool ran. Pauses hold up every connection at once, so they are
/// where a latency tail is checked first; each work item is a hand-off between threads, which on a busy machine can
/// wait for a core.
/// </summary>
public sealed record RuntimeCost(int Gen0, int Gen1, int Gen2, double PauseMs, long AllocatedBytes, double WallMs, long PoolWorkItems)
{
    public static RuntimeCost Between(RuntimeReading start, RuntimeReading end, double wallMs)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);

        // Collection counts include the younger generations' collections of an older one: report each kind once.
        var gen2 = end.Gen2Collections - start.Gen2Collections;
        var gen1 = end.Gen1Collections - start.Gen1Collections - gen2;
        var gen0 = end.Gen0Collections - start.Gen0Collections - gen1 - gen2;
        return new RuntimeCost(gen0, gen1, gen2, end.GcPauseMilliseconds - start.GcPauseMilliseconds, end.AllocatedBytes - start.AllocatedBytes, wallMs,
            end.ThreadPoolCompletedWorkItems - start.ThreadPoolCompletedWorkItems);
    }

    public int Collections => Gen0 + Gen1 + Gen2;

    /// <summary>Share of the phase's wall-clock time the process was paused.</summary>
    public double PauseShare => WallMs > 0 ? PauseMs / WallMs : double.NaN;

    public double MeanPauseMs => Collections > 0 ? PauseMs / Collections : 0;

    /// <summary>Seconds between collections, on average.</summary>
    public double SecondsBetweenCollections => Collections > 0 ? WallMs / 1000 / Collections : double.PositiveInfinity;

    public double AllocatedBytesPer(long messages) => Per(AllocatedBytes, messages);

    public double PoolWorkItemsPer(long messages) => Per(PoolWorkItems, messages);

    private static double Per(long count, long messages) => messages > 0 ? (double)count / messages : double.NaN;
}

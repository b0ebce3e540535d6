using System.Diagnostics;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Auth;
using Orleans;
using Orleans.Runtime;

namespace HikiConsult.Server.Health;

/// <summary>
/// Counters of this server process since it started, for a clinic's IT person and the load tool: take two readings
/// and subtract. Garbage collection pauses hold up every connection at once, so they are what a latency tail is
/// checked against first. <see cref="SessionGrainActivations"/> counts the session grains this node's silo holds now
/// (in a cluster, where sessions live).
/// </summary>
public sealed record RuntimeFiguresDto(
    DateTimeOffset At,
    double UptimeSeconds,
    double CpuMilliseconds,
    long AllocatedBytes,
    long HeapBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseMilliseconds,
    double LastGcPauseMilliseconds,
    int ThreadPoolThreads,
    long ThreadPoolCompletedWorkItems,
    int SessionGrainActivations);

internal static class RuntimeFigures
{
    /// <summary><c>GET /api/runtime</c>: admin only (everyone else gets 404), no client data.</summary>
    public static void MapRuntimeFigures(this WebApplication app) =>
        app.MapGet("/api/runtime", async (TimeProvider time, IGrainFactory grains, ILocalSiloDetails silo) =>
                TypedResults.Ok(Read(time.GetUtcNow(), await CountSessionGrainsAsync(grains, silo))))
            .WithTags("Admin")
            .RequireAuthorization(AuthPolicies.Admin)
            .WithSummary("Process counters since start: CPU, allocation, garbage collections and their pauses, thread pool.");

    private static async Task<int> CountSessionGrainsAsync(IGrainFactory grains, ILocalSiloDetails silo)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [silo.SiloAddress]);
        return statistics.Count(s => s.GrainId.Type.ToString() == ConsultationSessionGrain.GrainTypeName);
    }

    public static RuntimeFiguresDto Read(DateTimeOffset at, int sessionGrainActivations)
    {
        using var process = Process.GetCurrentProcess();
        var lastGc = GC.GetGCMemoryInfo(GCKind.Any);
        return new RuntimeFiguresDto(
            at,
            (DateTime.Now - process.StartTime).TotalSeconds,
            process.TotalProcessorTime.TotalMilliseconds,
            GC.GetTotalAllocatedBytes(precise: false),
            GC.GetTotalMemory(forceFullCollection: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration().TotalMilliseconds,
            lastGc.Index == 0 ? 0 : lastGc.PauseDurations[0].TotalMilliseconds,
            ThreadPool.ThreadCount,
            ThreadPool.CompletedWorkItemCount,
            sessionGrainActivations);
    }
}

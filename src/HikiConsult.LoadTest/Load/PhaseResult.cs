namespace HikiConsult.LoadTest.Load;

/// <summary>
/// What one load phase measured. Latency is relay latency: send call → arrival at the other party. <see cref="Alerts"/>
/// is null where risk alerts are not measured (the bare relay, which has no risk detection); <see cref="Runtime"/> where the
/// target's process is not observed (the bare relay runs inside this tool, with the load clients, and is in
/// <see cref="ToolRuntime"/>).
/// </summary>
public sealed record PhaseResult(
    string Target,
    string Phase,
    int Connections,
    double OfferedPerSecond,
    double SentPerSecond,
    double RelayedPerSecond,
    LatencySummary Relay,
    LatencySummary Ack,
    long Sent,
    long Acked,
    long SendErrors,
    long Lost,
    long Duplicated,
    long ReceivedWithoutAck,
    long OrderViolations,
    long SeqGaps,
    long ConnectionsLost,
    double GeneratorLagMaxMs,
    double DrainSeconds,
    CpuCost Cpu,
    IReadOnlyDictionary<string, long> ErrorKinds,
    RiskAlertResult? Alerts = null,
    RuntimeCost? Runtime = null)
{
    /// <summary>Relay latency by send time, warmup included.</summary>
    public IReadOnlyList<LatencyBucket> Timeline { get; init; } = [];

    /// <summary>Garbage collection and thread-pool work in this tool's process during the phase: its pauses stall the clients' clocks too.</summary>
    public RuntimeCost? ToolRuntime { get; init; }
}

/// <summary>
/// CPU time used during a phase (load and drain) by this tool's process (the load clients, plus the bare relay when
/// it is the target), by the target's own process (or processes: a cluster's nodes) when it has one, and by a
/// separate database server's processes when one is watched (NaN otherwise). Unlike latency, CPU per message hardly
/// depends on what else the machine is doing.
/// </summary>
public sealed record CpuCost(double ToolMs, double TargetMs, double WallMs, double DatabaseMs = double.NaN)
{
    public static readonly CpuCost None = new(double.NaN, double.NaN, double.NaN);

    /// <summary>Cores kept busy on average during the phase.</summary>
    public double CoresBusy => TotalMs / WallMs;

    /// <summary>Everything spent on the phase: clients, relay, server, database.</summary>
    public double TotalMs => ToolMs + (double.IsNaN(TargetMs) ? 0 : TargetMs) + (double.IsNaN(DatabaseMs) ? 0 : DatabaseMs);
}

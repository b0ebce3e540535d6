namespace HikiConsult.LoadTest.Load;

/// <summary>What one load phase measured. Latency is relay latency: send call → arrival at the other party.</summary>
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
    IReadOnlyDictionary<string, long> ErrorKinds);

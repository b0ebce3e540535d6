namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Relay latency of the messages sent in one slice of a phase (<see cref="PhaseTracker.BucketSeconds"/> long),
/// by send time relative to the start of the measured window (negative: the warmup). Shows whether slow messages
/// come in bursts (pauses) or all along (saturation).
/// </summary>
public sealed record LatencyBucket(double OffsetSeconds, int Relayed, double P50Ms, double P99Ms, double MaxMs);

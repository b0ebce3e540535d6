using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// Hub limits per principal (a device or an account, by id), not per connection: opening more connections with one
/// token buys no more sends or joins, and the connections a token may hold are bounded.
/// </summary>
public sealed class PrincipalRateLimits : IDisposable
{
    public PrincipalRateLimits(IOptions<HubLimitsOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        Sends = PartitionedRateLimiter.Create<string, string>(id =>
            RateLimitPartition.Get(id, _ => new ClockTokenBucketLimiter(settings.SendBurst, settings.SendPerSecond, time)), StringComparer.Ordinal);
        Joins = PartitionedRateLimiter.Create<string, string>(id =>
            RateLimitPartition.Get(id, _ => new ClockTokenBucketLimiter(settings.JoinBurst, settings.JoinPerSecond, time)), StringComparer.Ordinal);
        Connections = PartitionedRateLimiter.Create<string, string>(id =>
            RateLimitPartition.GetConcurrencyLimiter(id, _ => new ConcurrencyLimiterOptions { PermitLimit = settings.MaxConnectionsPerPrincipal, QueueLimit = 0 }),
            StringComparer.Ordinal);
    }

    public PartitionedRateLimiter<string> Sends { get; }

    public PartitionedRateLimiter<string> Joins { get; }

    /// <summary>A lease per open connection, released when it closes.</summary>
    public PartitionedRateLimiter<string> Connections { get; }

    public void Dispose()
    {
        Sends.Dispose();
        Joins.Dispose();
        Connections.Dispose();
    }
}

using System.Threading.RateLimiting;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// A token bucket that refills continuously by the server's <see cref="TimeProvider"/>, as a
/// <see cref="RateLimiter"/> for <see cref="PartitionedRateLimiter"/>. The framework's buckets refill on real-time
/// timers, which the tests' manual clock cannot move; this one answers the same leases (with
/// <see cref="MetadataName.RetryAfter"/>) from the clock it is given.
/// </summary>
internal sealed class ClockTokenBucketLimiter(int capacity, double perSecond, TimeProvider time) : RateLimiter
{
    private readonly Lock _lock = new();
    private double _tokens = capacity;
    private DateTimeOffset _last = time.GetUtcNow();

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens >= capacity ? time.GetUtcNow() - _last : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Lease.Granted;
            }

            var wait = TimeSpan.FromSeconds((permitCount - _tokens) / perSecond);
            return new Lease(false, wait);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = time.GetUtcNow();
        var elapsed = (now - _last).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(capacity, _tokens + (elapsed * perSecond));
            _last = now;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

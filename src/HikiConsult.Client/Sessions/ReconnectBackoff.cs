namespace HikiConsult.Client.Sessions;

/// <summary>Delays between reconnect attempts: immediate first, then doubling up to a cap, with jitter so many clients do not return in lockstep.</summary>
public sealed class ReconnectBackoff
{
    public ReconnectBackoff(TimeSpan? initial = null, TimeSpan? maximum = null, double jitter = 0.2, Random? random = null)
    {
        Initial = initial ?? TimeSpan.FromMilliseconds(250);
        Maximum = maximum ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(Maximum, Initial);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1.0);
        Jitter = jitter;
        _random = random ?? Random.Shared;
    }

    private readonly Random _random;

    public TimeSpan Initial { get; }

    public TimeSpan Maximum { get; }

    public double Jitter { get; }

    /// <summary>Delay before attempt <paramref name="attempt"/> (0 = the first attempt after a loss, which goes at once).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        if (attempt == 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(attempt - 1, 30);
        var raw = Math.Min(Initial.TotalMilliseconds * Math.Pow(2, exponent), Maximum.TotalMilliseconds);
        var factor = 1 + Jitter * (_random.NextDouble() * 2 - 1);
        return TimeSpan.FromMilliseconds(Math.Clamp(raw * factor, 0, Maximum.TotalMilliseconds));
    }
}

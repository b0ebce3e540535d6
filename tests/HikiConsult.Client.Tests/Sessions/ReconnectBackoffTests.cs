using HikiConsult.Client.Sessions;

namespace HikiConsult.Client.Tests.Sessions;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void First_attempt_is_immediate_then_delays_double_up_to_the_cap()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0);

        Assert.Equal(
            [0, 100, 200, 400, 800, 1000, 1000],
            Enumerable.Range(0, 7).Select(a => backoff.DelayBefore(a).TotalMilliseconds));
        Assert.Equal(1000, backoff.DelayBefore(10_000).TotalMilliseconds);
    }

    [Fact]
    public void Jitter_stays_within_its_band_and_under_the_cap()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0.2, random: new Random(7));

        var delays = Enumerable.Range(0, 200).Select(_ => backoff.DelayBefore(2).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 160, 240));
        Assert.True(delays.Distinct().Count() > 1);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.InRange(backoff.DelayBefore(20).TotalMilliseconds, 800, 1000));
    }
}

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>
/// The tests' clock starts at one fixed instant in the daytime of the test clients' zone, whatever the time the suite
/// runs at, so that no scenario gains the night-time activity reason by accident and every run sees the same times.
/// </summary>
public sealed class TestClockTests
{
    [Fact]
    public async Task Every_test_server_starts_at_the_same_instant_in_the_daytime_of_the_clients_zone()
    {
        await using var app = new TestServerApp();
        var local = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(TestServerApp.ClientTimeZone));

        Assert.Equal(TestServerApp.ClockStart, app.Clock.GetUtcNow());
        Assert.InRange(local.Hour, 6, 22);
    }
}


namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>
/// The tests' clock starts in the daytime of the test clients' zone, whatever the hour the suite runs at, so that
/// no scenario gains the night-time activity reason by accident.
/// </summary>
public sealed class TestClockTests
{
    [Fact]
    public void Every_hour_of_the_day_starts_between_06_00_and_23_00_in_the_clients_zone_and_never_later_than_now()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TestServerApp.ClientTimeZone);
        var midnightUtc = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
        for (var minutes = 0; minutes < 24 * 60; minutes += 15)
        {
            var now = midnightUtc.AddMinutes(minutes);
            var start = TestServerApp.DaytimeStart(now);

            Assert.InRange(TimeZoneInfo.ConvertTime(start, zone).Hour, 6, 22);
            Assert.InRange(now - start, TimeSpan.Zero, TimeSpan.FromHours(8));
        }
    }

    [Fact]
    public void A_daytime_start_is_the_real_time()
    {
        // 03:00 UTC is 12:00 in Tokyo.
        var now = new DateTimeOffset(2026, 12, 4, 3, 0, 0, 123, TimeSpan.Zero);
        Assert.Equal(now, TestServerApp.DaytimeStart(now));
    }
}

using System.Collections.Concurrent;

namespace HikiConsult.Domain.Engagement;

/// <summary>Local time in the client's IANA time zone.</summary>
public static class ClientTime
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> s_zones = new(StringComparer.Ordinal);

    /// <summary>Night for sleep-wake reversal: local hours 00:00 up to 05:00.</summary>
    public const int NightStartHour = 0;
    public const int NightEndHour = 5;

    /// <exception cref="InvalidRecordException">The id is not a known IANA time zone.</exception>
    public static TimeZoneInfo Resolve(string timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId)) throw new InvalidRecordException("time zone", ["the time zone id is empty"]);
        if (s_zones.TryGetValue(timeZoneId, out var zone)) return zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidRecordException("time zone", [$"'{timeZoneId}' is not a known IANA time zone"]);
        }
        return s_zones.GetOrAdd(timeZoneId, zone);
    }

    public static DateTime Local(DateTimeOffset at, string timeZoneId) =>
        TimeZoneInfo.ConvertTime(at, Resolve(timeZoneId)).DateTime;

    public static bool IsNight(int localHour) => localHour >= NightStartHour && localHour < NightEndHour;

    /// <summary>Monday of the week holding <paramref name="date"/>.</summary>
    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}

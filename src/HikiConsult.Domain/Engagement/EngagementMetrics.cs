using Orleans;

namespace HikiConsult.Domain.Engagement;

/// <summary>Client messages in each of the last four 7-day blocks up to today (local), oldest first.</summary>
/// <param name="RelativeChange">(mean of the last two weeks − mean of the first two) / mean of the first two; null when the first two weeks had no messages.</param>
/// <param name="SlopePerWeek">Least-squares change in messages per week.</param>
[GenerateSerializer, Immutable, Alias("hc.WeeklyTrend")]
public sealed record WeeklyTrend(DateOnly From, DateOnly To, IReadOnlyList<int> ClientMessagesPerWeek, double SlopePerWeek, double? RelativeChange);

/// <summary>Queries on <see cref="EngagementState"/>; each reads bounded parts of the state only.</summary>
public static class EngagementMetrics
{
    /// <summary>Client messages per session over every session seen.</summary>
    public static double? MessagesPerSession(this EngagementState s) =>
        s.SessionsSeen == 0 ? null : (double)s.ClientMessagesInSessions / s.SessionsSeen;

    /// <summary>Client messages per session over the recent sessions only.</summary>
    public static double? RecentMessagesPerSession(this EngagementState s) =>
        s.RecentSessions.Length == 0 ? null : s.RecentSessions.Average(r => r.ClientMessages);

    public static int? DaysSinceLastContact(this EngagementState s, DateTimeOffset now) =>
        s.LastContactAt is { } last ? Math.Max(0, (int)Math.Floor((now - last).TotalDays)) : null;

    /// <summary>The weekly message trend over the last four weeks (28 local days ending today).</summary>
    public static WeeklyTrend WeeklyMessageTrend(this EngagementState s, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(ClientTime.Local(now, s.TimeZoneId));
        var from = today.AddDays(-27);
        var weeks = new int[4];
        foreach (var d in s.Days)
        {
            if (d.Date < from || d.Date > today) continue;
            weeks[(d.Date.DayNumber - from.DayNumber) / 7] += d.ClientMessages;
        }
        var mean = weeks.Average();
        var slope = 0.0;
        for (var x = 0; x < 4; x++) slope += (x - 1.5) * (weeks[x] - mean);
        slope /= 5.0; // Σ(x − 1.5)² for x = 0..3
        var earlier = (weeks[0] + weeks[1]) / 2.0;
        var later = (weeks[2] + weeks[3]) / 2.0;
        double? relative = earlier == 0 ? null : (later - earlier) / earlier;
        return new WeeklyTrend(from, today, weeks, slope, relative);
    }

    /// <summary>Share of client activity between 00:00 and 05:00 local time, all time.</summary>
    public static double? NightShare(this EngagementState s)
    {
        var total = s.ActivityByHour.Sum();
        if (total == 0) return null;
        var night = 0;
        for (var h = ClientTime.NightStartHour; h < ClientTime.NightEndHour; h++) night += s.ActivityByHour[h];
        return (double)night / total;
    }

    /// <summary>Share of client activity between 00:00 and 05:00 local time over the last <paramref name="days"/> local days.</summary>
    public static double? RecentNightShare(this EngagementState s, DateTimeOffset now, int days = 28)
    {
        var today = DateOnly.FromDateTime(ClientTime.Local(now, s.TimeZoneId));
        var from = today.AddDays(-(days - 1));
        int total = 0, night = 0;
        foreach (var d in s.Days)
        {
            if (d.Date < from || d.Date > today) continue;
            total += d.ClientActivity;
            night += d.NightActivity;
        }
        return total == 0 ? null : (double)night / total;
    }

    public static double? MedianReplySeconds(this EngagementState s)
    {
        if (s.RecentReplySeconds.Length == 0) return null;
        var sorted = s.RecentReplySeconds.Sort();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static ScorePoint? LatestScore(this EngagementState s, string instrument) =>
        s.Assessments.TryGetValue(instrument, out var series) && series.Length > 0 ? series[^1] : null;

    /// <summary>The last two scores of an instrument (previous, latest), or null with fewer than two.</summary>
    public static (ScorePoint Previous, ScorePoint Latest)? LastTwoScores(this EngagementState s, string instrument) =>
        s.Assessments.TryGetValue(instrument, out var series) && series.Length >= 2 ? (series[^2], series[^1]) : null;
}

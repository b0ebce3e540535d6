using System.Text.Json;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;

namespace HikiConsult.Domain.Tests.Engagement;

public sealed class EngagementAnalyticsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero); // a Monday

    private static EngagementState Fold(EngagementState state, params EngagementEvent[] events) =>
        events.Aggregate(state, (s, e) => s.Apply(e));

    private static EngagementState Utc() => EngagementState.Create("UTC");

    [Fact]
    public void Sessions_attended_cancelled_and_no_shows_with_the_current_streak()
    {
        var s = Fold(Utc(),
            new SessionAttended("s1", T0),
            new SessionNoShow("s2", T0.AddDays(7)),
            new SessionNoShow("s3", T0.AddDays(14)),
            new SessionCancelled("s4", T0.AddDays(21)));

        Assert.Equal((1, 1, 2, 2), (s.SessionsAttended, s.SessionsCancelled, s.NoShows, s.CurrentNoShowStreak));

        s = Fold(s, new SessionNoShow("s5", T0.AddDays(28)));
        Assert.Equal(3, s.CurrentNoShowStreak);

        s = Fold(s, new SessionAttended("s6", T0.AddDays(35)));
        Assert.Equal(0, s.CurrentNoShowStreak);
        Assert.Equal(3, s.LongestNoShowStreak);
        Assert.Equal(2, s.SessionsAttended);
    }

    [Fact]
    public void Last_contact_is_the_clients_last_message_or_attended_session()
    {
        var s = Fold(Utc(),
            new ClientMessageSent(null, T0),
            new CounselorMessageSent(null, T0.AddDays(2)),
            new SessionNoShow("s1", T0.AddDays(3)));

        Assert.Equal(T0, s.LastContactAt);
        Assert.Equal(3, s.DaysSinceLastContact(T0.AddDays(3.5)));
        Assert.Null(Utc().DaysSinceLastContact(T0));

        s = Fold(s, new SessionAttended("s2", T0.AddDays(4)), new ClientMessageSent(null, T0.AddDays(1)));
        Assert.Equal(T0.AddDays(4), s.LastContactAt);
    }

    [Fact]
    public void Client_messages_per_session_counts_sessions_without_messages_too()
    {
        var s = Fold(Utc(),
            new SessionAttended("s1", T0),
            new ClientMessageSent("s1", T0.AddMinutes(1)),
            new ClientMessageSent("s1", T0.AddMinutes(2)),
            new ClientMessageSent("s1", T0.AddMinutes(3)),
            new ClientMessageSent("s2", T0.AddDays(7)),
            new SessionAttended("s3", T0.AddDays(14)),
            new ClientMessageSent(null, T0.AddDays(15)));

        Assert.Equal(4.0 / 3, s.MessagesPerSession()!.Value, 9);
        Assert.Equal([3, 1, 0], s.RecentSessions.Select(r => r.ClientMessages));
        Assert.Equal(5, s.ClientMessages);
        Assert.Equal(4, s.ClientMessagesInSessions);
    }

    [Fact]
    public void Weekly_trend_over_the_last_four_weeks_shows_falling_engagement()
    {
        var s = Utc();
        var now = T0.AddDays(27).AddHours(8);
        for (var day = 0; day < 28; day++)
        {
            // 10 messages a week in the first two weeks, 2 a week in the last two.
            var perWeek = day < 14 ? 10 : 2;
            var at = T0.AddDays(day);
            if (day % 7 < 2) for (var m = 0; m < perWeek / 2; m++) s = s.Apply(new ClientMessageSent(null, at.AddMinutes(m)));
        }

        var trend = s.WeeklyMessageTrend(now);

        Assert.Equal([10, 10, 2, 2], trend.ClientMessagesPerWeek);
        Assert.Equal(-0.8, trend.RelativeChange!.Value, 9);
        Assert.True(trend.SlopePerWeek < 0);
        Assert.Equal(DateOnly.FromDateTime(T0.UtcDateTime), trend.From);
    }

    [Fact]
    public void Weekly_trend_has_no_relative_change_when_the_first_weeks_were_silent()
    {
        var s = Fold(Utc(), new ClientMessageSent(null, T0.AddDays(20)));

        var trend = s.WeeklyMessageTrend(T0.AddDays(27));

        Assert.Equal([0, 0, 1, 0], trend.ClientMessagesPerWeek);
        Assert.Null(trend.RelativeChange);
    }

    [Fact]
    public void Response_latency_runs_from_the_first_unanswered_counselor_message_to_the_next_client_message()
    {
        var s = Fold(Utc(),
            new ClientMessageSent(null, T0.AddMinutes(-5)), // nothing to answer yet
            new CounselorMessageSent(null, T0),
            new CounselorMessageSent(null, T0.AddMinutes(5)),
            new ClientMessageSent(null, T0.AddMinutes(30)),
            new ClientMessageSent(null, T0.AddMinutes(31)),
            new CounselorMessageSent(null, T0.AddHours(2)),
            new ClientMessageSent(null, T0.AddHours(2).AddMinutes(10)));

        Assert.Equal(2, s.Replies);
        Assert.Equal(20 * 60, s.MeanReplySeconds, 6);
        Assert.Equal(20 * 60, s.MedianReplySeconds()!.Value, 6);
        Assert.Equal([30 * 60.0, 10 * 60.0], s.RecentReplySeconds.ToArray());
        Assert.Null(s.AwaitingReplySince);
    }

    [Fact]
    public void Night_share_uses_the_clients_time_zone()
    {
        var night = new DateTimeOffset(2026, 3, 1, 16, 30, 0, TimeSpan.Zero); // 01:30 in Tokyo, 17:30 in Amsterdam
        var noon = new DateTimeOffset(2026, 3, 2, 3, 0, 0, TimeSpan.Zero);    // 12:00 in Tokyo, 04:00 in Amsterdam

        var tokyo = Fold(EngagementState.Create("Asia/Tokyo"), new ClientMessageSent(null, night), new ClientMessageSent(null, noon));
        var amsterdam = Fold(EngagementState.Create("Europe/Amsterdam"), new ClientMessageSent(null, night), new ClientMessageSent(null, noon));

        Assert.Equal(0.5, tokyo.NightShare());
        Assert.Equal(1, tokyo.ActivityByHour[1]);
        Assert.Equal(1, tokyo.ActivityByHour[12]);
        Assert.Equal(0.5, amsterdam.NightShare());
        Assert.Equal(1, amsterdam.ActivityByHour[4]);
        Assert.Equal(1, amsterdam.ActivityByHour[17]);
        Assert.Equal(0.5, tokyo.RecentNightShare(noon));
        Assert.Null(Utc().NightShare());
    }

    [Fact]
    public void A_time_zone_change_applies_to_later_events_and_an_unknown_zone_is_rejected()
    {
        var s = Fold(Utc(), new ClientMessageSent(null, T0.AddHours(-7)), new ClientTimeZoneChanged("Asia/Tokyo", T0)); // 02:00 UTC
        s = s.Apply(new ClientMessageSent(null, T0.AddHours(-7).AddDays(1))); // 02:00 UTC = 11:00 Tokyo

        Assert.Equal(1, s.ActivityByHour[2]);
        Assert.Equal(1, s.ActivityByHour[11]);
        Assert.Throws<InvalidRecordException>(() => s.Apply(new ClientTimeZoneChanged("Mars/Olympus_Mons", T0)));
        Assert.Throws<InvalidRecordException>(() => EngagementState.Create("Nowhere/Town"));
    }

    [Fact]
    public void Assessment_series_stay_in_time_order_per_instrument()
    {
        var s = Fold(Utc(),
            new AssessmentScored("hq25", 40, "belowCutoff", 42, T0.AddDays(14)),
            new AssessmentScored("hq25", 30, "belowCutoff", 42, T0),
            new AssessmentScored("phq9", 12, "moderate", null, T0.AddDays(1)),
            new AssessmentScored("hq25", 48, "atOrAboveCutoff", 42, T0.AddDays(28)));

        Assert.Equal([30, 40, 48], s.Assessments["hq25"].Select(p => p.Total));
        Assert.Equal(12, s.LatestScore("phq9")!.Total);
        var (previous, latest) = s.LastTwoScores("hq25")!.Value;
        Assert.Equal((40, 48), (previous.Total, latest.Total));
        Assert.Null(s.LastTwoScores("phq9"));
    }

    [Fact]
    public void Kato_history_is_kept_in_order()
    {
        var s = Fold(Utc(),
            new KatoStatusRecorded(KatoStatus.PreHikikomori, KatoSeverity.Mild, T0),
            new KatoStatusRecorded(KatoStatus.Hikikomori, KatoSeverity.Moderate, T0.AddDays(90)));

        Assert.Equal([KatoStatus.PreHikikomori, KatoStatus.Hikikomori], s.KatoHistory.Select(k => k.Status));
    }

    [Fact]
    public void Replayed_events_are_skipped_by_sequence_number()
    {
        var s = Utc()
            .Apply(new ClientMessageSent(null, T0), 1)
            .Apply(new ClientMessageSent(null, T0.AddMinutes(1)), 2)
            .Apply(new ClientMessageSent(null, T0), 1)
            .Apply(new ClientMessageSent(null, T0.AddMinutes(1)), 2);

        Assert.Equal(2, s.ClientMessages);
        Assert.Equal(2, s.LastSeq);
    }

    [Fact]
    public void State_stays_bounded_however_long_the_history_so_each_event_is_constant_work()
    {
        var s = Utc();
        for (var day = 0; day < 400; day++)
        {
            var at = T0.AddDays(day);
            s = Fold(s,
                new SessionAttended($"s{day}", at),
                new CounselorMessageSent($"s{day}", at.AddMinutes(1)),
                new ClientMessageSent($"s{day}", at.AddMinutes(2)),
                new AssessmentScored("phq9", day % 28, null, null, at),
                new KatoStatusRecorded(KatoStatus.Hikikomori, KatoSeverity.Mild, at));
        }

        Assert.Equal(400, s.SessionsAttended);
        Assert.Equal(400, s.ClientMessages);
        Assert.True(s.Days.Length <= EngagementState.DaysKept);
        Assert.Equal(EngagementState.RecentSessionsKept, s.RecentSessions.Length);
        Assert.Equal(EngagementState.RecentLatenciesKept, s.RecentReplySeconds.Length);
        Assert.Equal(EngagementState.PointsKeptPerSeries, s.Assessments["phq9"].Length);
        Assert.Equal(EngagementState.PointsKeptPerSeries, s.KatoHistory.Length);
        Assert.Equal(T0.AddDays(399).AddDays(-(EngagementState.DaysKept - 1)).Date, s.Days[0].Date.ToDateTime(TimeOnly.MinValue));
        Assert.Equal(800, s.ActivityByHour.Sum());
    }

    [Fact]
    public void Events_older_than_the_daily_window_still_count_in_totals()
    {
        var s = Fold(Utc(), new ClientMessageSent(null, T0.AddDays(200)), new ClientMessageSent(null, T0));

        Assert.Equal(2, s.ClientMessages);
        Assert.Single(s.Days);
    }

    [Fact]
    public void Analytics_state_round_trips_through_system_text_json()
    {
        var s = Fold(EngagementState.Create("Asia/Tokyo"),
            new SessionAttended("s1", T0),
            new CounselorMessageSent("s1", T0.AddMinutes(1)),
            new ClientMessageSent("s1", T0.AddMinutes(4)),
            new SessionNoShow("s2", T0.AddDays(7)),
            new CounselorMessageSent(null, T0.AddDays(8)),
            new AssessmentScored("hq25", 45, "atOrAboveCutoff", 42, T0.AddDays(1)),
            new KatoStatusRecorded(KatoStatus.PreHikikomori, KatoSeverity.Moderate, T0.AddDays(2)));
        s = s.Apply(new ClientMessageSent(null, T0.AddDays(9)), 42);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(s, options);
        var back = JsonSerializer.Deserialize<EngagementState>(json, options)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, options));
        // ImmutableArray equality is by reference: compare contents.
        Assert.Equal(s.ActivityByHour.ToArray(), back.ActivityByHour.ToArray());
        Assert.Equal(s.Days.ToArray(), back.Days.ToArray());
        Assert.Equal(s.Assessments["hq25"].ToArray(), back.Assessments["hq25"].ToArray());
        Assert.Equal(s.KatoHistory.ToArray(), back.KatoHistory.ToArray());
        Assert.Equal(s.RecentSessions.ToArray(), back.RecentSessions.ToArray());
        Assert.Equal(s.AwaitingReplySince, back.AwaitingReplySince);
        Assert.Equal(42, back.LastSeq);
        Assert.Contains("\"preHikikomori\"", json);
        // The deserialized state keeps folding exactly like the original.
        var next = new ClientMessageSent("s3", T0.AddDays(10));
        Assert.Equal(JsonSerializer.Serialize(s.Apply(next), options), JsonSerializer.Serialize(back.Apply(next), options));
    }

    [Fact]
    public void Events_round_trip_through_json_with_their_type()
    {
        EngagementEvent[] events =
        [
            new SessionAttended("s1", T0), new SessionCancelled("s2", T0), new SessionNoShow("s3", T0),
            new ClientMessageSent(null, T0), new CounselorMessageSent("s1", T0), new AssessmentScored("phq9", 3, "minimal", null, T0),
            new KatoStatusRecorded(KatoStatus.NotMet, null, T0), new ClientTimeZoneChanged("Asia/Tokyo", T0),
        ];

        var back = JsonSerializer.Deserialize<EngagementEvent[]>(JsonSerializer.Serialize(events))!;

        Assert.Equal(events, back);
    }
}

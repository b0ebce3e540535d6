using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;

namespace HikiConsult.Domain.Tests.Engagement;

public sealed class TimelineTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Assessment_series_carry_cut_off_and_band_lines_from_the_definitions()
    {
        var catalog = InstrumentCatalog.LoadShipped();
        var state = new[]
        {
            (EngagementEvent)new AssessmentScored("hq25", 38, "belowCutoff", 42, Monday),
            new AssessmentScored("hq25", 47, "atOrAboveCutoff", 42, Monday.AddDays(30)),
            new AssessmentScored("phq9", 11, "moderate", null, Monday),
            new AssessmentScored("cssrs-screener", null, "low", null, Monday),
        }.Aggregate(EngagementState.Create("UTC"), (s, e) => s.Apply(e));

        var t = Timeline.Project(state, Monday.AddDays(31), catalog);

        var hq25 = t.Assessments.Single(a => a.Instrument == "hq25");
        Assert.Equal([38, 47], hq25.Points.Select(p => p.Total));
        Assert.Equal(42, Assert.Single(hq25.Thresholds).Value);
        Assert.Equal(100, hq25.MaxTotal);
        var phq9 = t.Assessments.Single(a => a.Instrument == "phq9");
        Assert.Equal([5, 10, 15, 20], phq9.Thresholds.Select(l => l.Value));
        var cssrs = t.Assessments.Single(a => a.Instrument == "cssrs-screener");
        Assert.Empty(cssrs.Thresholds);
        Assert.Equal("low", cssrs.Points[0].Band);
        Assert.Contains(t.Sources, s => s.Contains("10.1111/pcn.12691"));
        Assert.Equal(DecisionSupport.Label, t.Label);
    }

    [Fact]
    public void The_cut_off_line_follows_the_clinics_cut_off()
    {
        var catalog = InstrumentCatalog.Load(new InstrumentOptions { Cutoffs = { ["hq25"] = 44 } });
        var state = EngagementState.Create("UTC").Apply(new AssessmentScored("hq25", 43, "belowCutoff", 44, Monday));

        Assert.Equal(44, Timeline.Project(state, Monday, catalog).Assessments[0].Thresholds[0].Value);
    }

    [Fact]
    public void Engagement_is_grouped_by_local_week_and_activity_by_local_hour()
    {
        var state = new[]
        {
            (EngagementEvent)new SessionAttended("s1", Monday),
            new ClientMessageSent("s1", Monday.AddMinutes(5)),
            new ClientMessageSent("s1", Monday.AddMinutes(6)),
            new SessionNoShow("s2", Monday.AddDays(7)),
            new ClientMessageSent(null, Monday.AddDays(8).AddHours(-7)), // 02:00 UTC Tuesday: night
            new KatoStatusRecorded(KatoStatus.PreHikikomori, KatoSeverity.Mild, Monday),
        }.Aggregate(EngagementState.Create("UTC"), (s, e) => s.Apply(e));

        var t = Timeline.Project(state, Monday.AddDays(9));

        Assert.Equal(Timeline.DefaultWeeks, t.EngagementByWeek.Count);
        var thisWeek = t.EngagementByWeek[^1];
        var lastWeek = t.EngagementByWeek[^2];
        Assert.Equal(DateOnly.FromDateTime(Monday.AddDays(7).UtcDateTime), thisWeek.WeekStart);
        Assert.Equal((1, 0, 1, 1.0), (thisWeek.ClientMessages, thisWeek.SessionsAttended, thisWeek.NoShows, thisWeek.NightShare!.Value));
        Assert.Equal((2, 1, 0, 0.0), (lastWeek.ClientMessages, lastWeek.SessionsAttended, lastWeek.NoShows, lastWeek.NightShare!.Value));
        Assert.All(t.EngagementByWeek.Take(10), w => Assert.Null(w.NightShare));
        Assert.Equal(24, t.ActivityByHour.Count);
        Assert.Equal(3, t.ActivityByHour[9]);
        Assert.Equal(1, t.ActivityByHour[2]);
        Assert.Equal(KatoStatus.PreHikikomori, Assert.Single(t.KatoHistory).Status);
        Assert.Equal(1, t.Summary.CurrentNoShowStreak);
        Assert.Equal(1, t.Summary.DaysSinceLastContact);
        Assert.Equal(0.25, t.Summary.NightShare);
        Assert.Contains(t.Sources, s => s.Contains("10.1002/wps.20705"));
    }

    [Fact]
    public void Week_boundaries_follow_the_clients_time_zone()
    {
        // Sunday 23:30 in Tokyo is still Sunday 14:30 UTC: the message belongs to the week before Monday in both,
        // but 2026-11-01T15:30Z is Monday 00:30 in Tokyo.
        var state = EngagementState.Create("Asia/Tokyo").Apply(new ClientMessageSent(null, new DateTimeOffset(2026, 11, 1, 15, 30, 0, TimeSpan.Zero)));

        var t = Timeline.Project(state, Monday);

        Assert.Equal(1, t.EngagementByWeek[^1].ClientMessages);
        Assert.Equal(new DateOnly(2026, 11, 2), t.EngagementByWeek[^1].WeekStart);
    }
}

using System.Text.Json;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Kato;

namespace HikiConsult.Domain.Tests.Engagement;

/// <summary>The builder's states are snapshots: what was handed out (and stored) never changes with later events.</summary>
public sealed class EngagementStateBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_state_handed_out_does_not_change_with_later_events()
    {
        var builder = new EngagementStateBuilder(EngagementState.Create("Asia/Tokyo"));
        builder.Apply(new SessionAttended("s1", T0));
        builder.Apply(new CounselorMessageSent("s1", T0.AddMinutes(1)));
        builder.Apply(new ClientMessageSent("s1", T0.AddMinutes(3)));
        builder.Apply(new AssessmentScored("phq9", 7, "mild", 10, T0));
        var first = builder.ToState();
        var firstJson = JsonSerializer.Serialize(first);
        Assert.Same(first, builder.ToState());

        builder.Apply(new ClientMessageSent("s1", T0.AddMinutes(4)));
        builder.Apply(new ClientMessageSent("s2", T0.AddDays(1)));
        builder.Apply(new AssessmentScored("phq9", 12, "moderate", 10, T0.AddDays(1)));
        builder.Apply(new KatoStatusRecorded(KatoStatus.Hikikomori, KatoSeverity.Mild, T0.AddDays(1)));

        Assert.Equal(firstJson, JsonSerializer.Serialize(first));
        var second = builder.ToState();
        Assert.Equal((1, 3), (first.ClientMessages, second.ClientMessages));
        Assert.Equal((1, 2), (first.Days.Length, second.Days.Length));
        Assert.Equal((1, 2), (first.Assessments["phq9"].Length, second.Assessments["phq9"].Length));
        Assert.Equal((2, 4), (first.ActivityByHour.Sum(), second.ActivityByHour.Sum()));
    }

    /// <summary>Folding makes a builder per event: a field that the constructor or <c>ToState</c> dropped would differ.</summary>
    [Fact]
    public void One_builder_for_all_events_and_a_new_builder_per_event_agree()
    {
        EngagementEvent[] events =
        [
            new SessionAttended("s1", T0),
            new CounselorMessageSent("s1", T0.AddMinutes(1)),
            new ClientMessageSent("s1", T0.AddMinutes(2)),
            new SessionNoShow("s2", T0.AddDays(7)),
            new ClientTimeZoneChanged("Europe/Amsterdam", T0.AddDays(8)),
            new ClientMessageSent(null, T0.AddDays(8).AddHours(14)),
            new SessionCancelled("s3", T0.AddDays(9)),
            new AssessmentScored("phq9", 12, "moderate", 10, T0.AddDays(9)),
            new KatoStatusRecorded(KatoStatus.PreHikikomori, KatoSeverity.Moderate, T0.AddDays(10)),
        ];
        var builder = new EngagementStateBuilder(EngagementState.Create("UTC"));
        for (var i = 0; i < events.Length; i++)
        {
            builder.Apply(events[i], i + 1);
        }

        var folded = events.Select((e, i) => (e, i)).Aggregate(EngagementState.Create("UTC"), (s, x) => s.Apply(x.e, x.i + 1));
        builder.Apply(new ClientMessageSent(null, T0.AddDays(11)), 0); // at or below the last seq: a replay
        Assert.Equal(JsonSerializer.Serialize(folded), JsonSerializer.Serialize(builder.ToState()));
    }

    [Fact]
    public void An_unknown_time_zone_changes_nothing()
    {
        var builder = new EngagementStateBuilder(EngagementState.Create("UTC"));
        builder.Apply(new ClientMessageSent("s1", T0));
        var before = builder.ToState();

        Assert.Throws<InvalidRecordException>(() => builder.Apply(new ClientTimeZoneChanged("Mars/Olympus", T0)));
        Assert.Same(before, builder.ToState());
        Assert.Equal("UTC", builder.ToState().TimeZoneId);
    }
}

using System.Net;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

public sealed class SessionRestTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task Creating_a_session_schedules_it_and_logs_the_first_event()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var at = DateTimeOffset.Parse("2030-04-01T09:30:00+09:00");
        using var response = await App.PostAsync("/api/sessions", counselor.Token, new CreateSessionRequest(client.Id, at));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = System.Text.Json.JsonSerializer.Deserialize<SessionDto>(await response.Content.ReadAsStringAsync(), TestServerApp.Json)!;

        Assert.Equal($"/api/sessions/{session.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal((client.Id, SessionStates.Scheduled, at, false, 1L), (session.ClientId, session.State, session.ScheduledAt, session.FamilyOnly, session.LastSeq));
        Assert.Empty(session.Participants);

        var page = await App.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{session.Id}/events", counselor.Token);
        var first = Assert.Single(page.Events);
        Assert.Equal((1L, EventKinds.System, Roles.System), (first.Seq, first.Kind, first.Sender.Role));
        Assert.Equal("scheduled", first.Body.GetProperty("state").GetString());

        var clientSessions = await App.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, $"/api/clients/{client.Id}/sessions", counselor.Token);
        Assert.Equal([session.Id], clientSessions.Select(x => x.Id));
    }

    [Fact]
    public async Task Sessions_need_a_client_the_caller_may_see()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(other.Token);
        using var missing = await App.PostAsync("/api/sessions", counselor.Token, new { scheduledAt = "2030-01-01T00:00:00Z" });
        using var hidden = await App.PostAsync("/api/sessions", counselor.Token, new CreateSessionRequest(client.Id, null));
        using var unknown = await App.PostAsync("/api/sessions", counselor.Token, new CreateSessionRequest("cl_unknown", null));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await App.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, $"/api/clients/{client.Id}/sessions", other.Token));
    }

    [Fact]
    public async Task Events_are_paged_by_seq()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        for (var i = 0; i < 7; i++)
        {
            await counselor.SendTextAsync(s.Session.Id, $"line {i}");
        }

        var total = await App.CountEventsAsync(s.Session.Id);
        var seen = new List<long>();
        long after = 0;
        while (true)
        {
            var page = await App.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events?afterSeq={after}&limit=3", s.Counselor.Token);
            Assert.True(page.Events.Count <= 3);
            if (page.Events.Count == 0)
            {
                Assert.Equal(after, page.NextAfterSeq);
                break;
            }

            Assert.Equal(page.Events[^1].Seq, page.NextAfterSeq);
            seen.AddRange(page.Events.Select(e => e.Seq));
            after = page.NextAfterSeq;
        }

        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), seen);

        foreach (var query in new[] { "afterSeq=-1", "limit=0", "limit=1001" })
        {
            using var bad = await App.GetAsync($"/api/sessions/{s.Session.Id}/events?{query}", s.Counselor.Token);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        // The device reads its own session's history too.
        var deviceView = await App.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events?limit=1000", s.Device.AccessToken);
        Assert.Equal(total, deviceView.Events.Count);
    }

    [Fact]
    public async Task The_transcript_is_readable_text_with_the_closing_note_for_staff_only()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        await counselor.SendTextAsync(s.Session.Id, "How did you sleep?");
        await device.SendTextAsync(s.Session.Id, "Not well, I was up until four.");
        await counselor.SendAsync(s.Session.Id, EventKinds.Gesture, new { name = "nod" });
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "Sleep-wake reversal; follow up next week.");

        using var response = await App.GetAsync($"/api/sessions/{s.Session.Id}/transcript", s.Counselor.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"Session: {s.Session.Id}", text);
        Assert.Contains("State: ended", text);
        Assert.Contains(": How did you sleep?", text);
        Assert.Contains("(client): Not well, I was up until four.", text);
        Assert.Contains("gestures nod", text);
        Assert.Contains("[joined]", text);
        Assert.Contains("Sleep-wake reversal; follow up next week.", text);
        Assert.True(text.IndexOf("How did you sleep?", StringComparison.Ordinal) < text.IndexOf("Not well", StringComparison.Ordinal));

        var forDevice = await (await App.GetAsync($"/api/sessions/{s.Session.Id}/transcript", s.Device.AccessToken)).Content.ReadAsStringAsync();
        Assert.Contains("Not well, I was up until four.", forDevice);
        Assert.DoesNotContain("Sleep-wake reversal", forDevice);

        var audit = await App.Services.GetRequiredService<AuditLog>().ListAsync(s.Session.Id, 50);
        Assert.Contains(audit, r => r.Action == AuditActions.SessionTranscriptRead && r.ActorId == s.Counselor.Id);
        Assert.Contains(audit, r => r.Action == AuditActions.SessionTranscriptRead && r.ActorId == s.Device.DeviceId);
        Assert.Contains(audit, r => r.Action == AuditActions.SessionJoin && r.ActorId == s.Device.DeviceId);
    }

    [Fact]
    public async Task Only_sessions_that_are_not_active_can_be_cancelled()
    {
        var s = await Scenario.CreateAsync(App);
        var cancelled = await App.ExpectAsync<SessionDto>(200, HttpMethod.Post, $"/api/sessions/{s.Session.Id}/cancel", s.Counselor.Token);
        Assert.Equal(SessionStates.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.EndedAt);
        using (var twice = await App.PostAsync($"/api/sessions/{s.Session.Id}/cancel", s.Counselor.Token, null))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }

        var active = await App.CreateSessionAsync(s.Counselor.Token, s.Client.Id);
        var scenario = s with { Session = active };
        var (counselor, device) = await scenario.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        using var refused = await App.PostAsync($"/api/sessions/{active.Id}/cancel", s.Counselor.Token, null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(SessionStates.Active, (await App.ExpectAsync<SessionDto>(200, HttpMethod.Get, $"/api/sessions/{active.Id}", s.Counselor.Token)).State);
    }

    [Fact]
    public async Task A_closed_session_still_returns_its_history_on_join_but_takes_no_more_events()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        var sent = await device.SendTextAsync(s.Session.Id, "Before the end.", clientMsgId: "last-words");
        await device.DisposeAsync();
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "note");
        var count = await App.CountEventsAsync(s.Session.Id);

        await using var back = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        var join = await back.JoinAsync(s.Session.Id, sent.Seq);
        Assert.Equal(SessionStates.Ended, join.State);
        Assert.Equal(count, join.Events[^1].Seq);

        // A resend of what was acknowledged before the end still gets its ack; anything new is refused.
        var resend = await back.SendTextAsync(s.Session.Id, "Before the end.", clientMsgId: "last-words");
        Assert.Equal((sent.Seq, true), (resend.Seq, resend.Duplicate));
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => back.SendTextAsync(s.Session.Id, "After the end."));
        Assert.Equal(count, await App.CountEventsAsync(s.Session.Id));
    }
}

using System.Text.Json;
using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains.Counselors;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

public sealed class SessionHubTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task A_counselor_and_a_device_hold_a_session_from_join_to_end()
    {
        var s = await Scenario.CreateAsync(App);
        await using var counselor = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        var counselorJoin = await counselor.JoinAsync(s.Session.Id);

        Assert.Equal(s.Session.Id, counselorJoin.SessionId);
        Assert.Equal(s.Client.Id, counselorJoin.ClientId);
        Assert.Equal(SessionStates.Waiting, counselorJoin.State);
        Assert.Equal([1L, 2, 3], counselorJoin.Events.Select(e => e.Seq));
        Assert.Equal(["scheduled", "joined", "waiting"], counselorJoin.Events.Select(Describe));
        var me = Assert.Single(counselorJoin.Participants);
        Assert.Equal((s.Counselor.Id, Roles.Counselor, true), (me.Id, me.Role, me.Present));

        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        var deviceJoin = await device.JoinAsync(s.Session.Id);
        Assert.Equal(SessionStates.Active, deviceJoin.State);
        Assert.Equal([1L, 2, 3, 4, 5], deviceJoin.Events.Select(e => e.Seq));
        Assert.Equal(Roles.Client, deviceJoin.Events[3].Sender.Role is Roles.System ? deviceJoin.Events[3].Body.GetProperty("participant").GetProperty("role").GetString() : null);
        Assert.All(deviceJoin.Participants, p => Assert.True(p.Present));

        var active = await counselor.WaitForStateAsync(st => st.State == SessionStates.Active);
        Assert.Equal(2, active.Participants.Count(p => p.Present));

        // Everything a counselor may send reaches the device in seq order, in normal form.
        var acks = new List<SendAck>
        {
            await counselor.SendTextAsync(s.Session.Id, "Good evening. How was your day?"),
            await counselor.SendAsync(s.Session.Id, EventKinds.Speak, new { text = "I am glad you are here.", voice = "calm" }),
            await counselor.SendAsync(s.Session.Id, EventKinds.Expression, new { name = "happy", weight = 0.6 }),
            await counselor.SendAsync(s.Session.Id, EventKinds.Gesture, new { name = "nod" }),
            await counselor.SendAsync(s.Session.Id, EventKinds.Gaze, new { target = "client" }),
        };
        Assert.Equal([6L, 7, 8, 9, 10], acks.Select(a => a.Seq));
        Assert.All(acks, a => Assert.False(a.Duplicate));

        await device.WaitUntilAsync(() => device.Events.Any(e => e.Seq == 10));
        var received = device.Events.Where(e => e.Seq is >= 6 and <= 10).ToList();
        Assert.Equal([EventKinds.Text, EventKinds.Speak, EventKinds.Expression, EventKinds.Gesture, EventKinds.Gaze], received.Select(e => e.Kind));
        Assert.Equal("Good evening. How was your day?", received[0].Body.GetProperty("text").GetString());
        Assert.Equal("calm", received[1].Body.GetProperty("voice").GetString());
        Assert.Equal(0.6, received[2].Body.GetProperty("weight").GetDouble());
        Assert.Equal(s.Counselor.Id, received[0].Sender.Id);
        Assert.Equal(acks[0].At, received[0].At);

        var replies = new[]
        {
            await device.SendTextAsync(s.Session.Id, "It was quiet."),
            await device.SendAsync(s.Session.Id, EventKinds.Signal, new { name = "reaction", value = "thumbs-up" }),
        };
        Assert.Equal([11L, 12], replies.Select(a => a.Seq));
        var reply = await counselor.WaitForEventAsync(e => e.Seq == 11);
        Assert.Equal((Roles.Client, s.Device.DeviceId, "It was quiet."), (reply.Sender.Role, reply.Sender.Id, reply.Body.GetProperty("text").GetString()));

        var ended = await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "Calm session; next week same time.");
        Assert.Equal(SessionStates.Ended, ended.State);
        await device.WaitForStateAsync(st => st.State == SessionStates.Ended);
        var endEvent = await device.WaitForEventAsync(e => e.Seq == 13);
        Assert.Equal("ended", Describe(endEvent));
        Assert.False(endEvent.Body.TryGetProperty("note", out _), "The closing note is not sent to devices.");

        var refused = await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, "Are you still there?"));
        Assert.Contains("ended", refused.Message);

        // The log is complete, gapless and is what the device saw.
        var page = await App.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events?afterSeq=0&limit=100", s.Counselor.Token);
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), page.Events.Select(e => e.Seq));
        Assert.Equal(13, page.NextAfterSeq);
        var seenByDevice = deviceJoin.Events.Concat(device.Events).DistinctBy(e => e.Seq).OrderBy(e => e.Seq).ToList();
        Assert.Equal(page.Events.Select(e => (e.Seq, e.Kind, e.Body.GetRawText())), seenByDevice.Select(e => (e.Seq, e.Kind, e.Body.GetRawText())));
    }

    [Fact]
    public async Task Seq_has_no_gaps_and_every_acknowledged_event_is_already_stored()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        var stored = new List<bool>();

        async Task<List<long>> SendMany(HubClient from, int count)
        {
            var seqs = new List<long>();
            for (var i = 0; i < count; i++)
            {
                var ack = await from.SendTextAsync(s.Session.Id, $"message {i}");
                var exists = await App.EventExistsAsync(s.Session.Id, ack.Seq); // read right after the ack, from the file
                lock (stored)
                {
                    stored.Add(exists);
                }

                seqs.Add(ack.Seq);
            }

            return seqs;
        }

        var results = await Task.WhenAll(SendMany(counselor, 40), SendMany(device, 40), SendMany(counselor, 40));
        var all = results.SelectMany(r => r).ToList();

        Assert.All(stored, Assert.True);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(results, r => Assert.Equal(r.OrderBy(x => x), r)); // each sender's acks increase
        var total = await App.CountEventsAsync(s.Session.Id);
        var page = await App.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events?afterSeq=0&limit=1000", s.Counselor.Token);
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), page.Events.Select(e => e.Seq));
        Assert.Subset(page.Events.Select(e => e.Seq).ToHashSet(), all.ToHashSet());

        // Pushes arrive in seq order on every connection.
        await device.WaitUntilAsync(() => device.Events.Count > 0 && device.Events[^1].Seq == total);
        Assert.Equal(device.Events.Select(e => e.Seq).Order(), device.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_resend_gets_the_first_ack_and_is_neither_stored_nor_broadcast_again()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;

        var first = await device.SendTextAsync(s.Session.Id, "Sent once, maybe twice.", clientMsgId: "msg-0001");
        var count = await App.CountEventsAsync(s.Session.Id);
        var again = await device.SendTextAsync(s.Session.Id, "Sent once, maybe twice.", clientMsgId: "msg-0001");

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal((first.Seq, first.At), (again.Seq, again.At));
        Assert.Equal(count, await App.CountEventsAsync(s.Session.Id));

        // Pushes are ordered: had the resend been broadcast, it would arrive before this next message.
        var next = await device.SendTextAsync(s.Session.Id, "Next.", clientMsgId: "msg-0002");
        Assert.Equal(first.Seq + 1, next.Seq);
        await counselor.WaitForEventAsync(e => e.Seq == next.Seq);
        Assert.Single(counselor.Events, e => e.Seq == first.Seq);
        Assert.Single(counselor.Events, e => e.Kind == EventKinds.Text && e.Body.GetProperty("text").GetString() == "Sent once, maybe twice.");

        // The same clientMsgId from another sender is another message.
        var counselorAck = await counselor.SendTextAsync(s.Session.Id, "Mine.", clientMsgId: "msg-0001");
        Assert.False(counselorAck.Duplicate);
        Assert.Equal(next.Seq + 1, counselorAck.Seq);
    }

    [Fact]
    public async Task JoinSession_after_a_gap_returns_exactly_the_missed_events()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        var lastSeen = (await device.SendTextAsync(s.Session.Id, "Before the gap.")).Seq;
        await device.WaitUntilAsync(() => device.Events.Any(e => e.Seq == lastSeen));
        await device.DisposeAsync();
        await counselor.WaitForEventAsync(e => e.Kind == EventKinds.System && e.Body.GetProperty("action").GetString() == "left");

        var missed = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            missed.Add((await counselor.SendTextAsync(s.Session.Id, $"While you were away {i}")).Seq);
        }

        await using var back = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        var join = await back.JoinAsync(s.Session.Id, afterSeq: lastSeen);

        var log = await App.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events?afterSeq={lastSeen}", s.Counselor.Token);
        Assert.Equal(log.Events.Select(e => e.Seq), join.Events.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, join.Events.Count).Select(i => (long)i), join.Events.Select(e => e.Seq));
        Assert.Subset(join.Events.Select(e => e.Seq).ToHashSet(), missed.ToHashSet());
        Assert.Equal("left", Describe(join.Events[0]));
        Assert.Equal("joined", Describe(join.Events[^1]));

        var none = await back.JoinAsync(s.Session.Id, afterSeq: join.Events[^1].Seq);
        Assert.Empty(none.Events);
    }

    [Fact]
    public async Task Invalid_input_is_refused_with_a_reason_nothing_is_stored_and_the_connection_keeps_working()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        var id = s.Session.Id;
        var before = await App.CountEventsAsync(id);

        var cases = new (HubClient From, Func<Task> Call, string Reason)[]
        {
            (counselor, () => counselor.SendAsync(id, "dance", new { text = "x" }), "Unknown kind 'dance'"),
            (counselor, () => counselor.SendAsync(id, EventKinds.System, new { action = "state" }), "may not send 'system'"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Signal, new { name = "touch", value = "head" }), "may not send 'signal'"),
            (device, () => device.SendAsync(id, EventKinds.Speak, new { text = "I speak for the counselor" }), "may not send 'speak'"),
            (device, () => device.SendAsync(id, EventKinds.Expression, new { name = "happy", weight = 1 }), "may not send 'expression'"),
            (counselor, () => counselor.SendTextAsync(id, ""), "must not be empty"),
            (counselor, () => counselor.SendTextAsync(id, "   \n "), "must not be empty"),
            (counselor, () => counselor.SendTextAsync(id, new string('a', 4001)), "longer than 4000"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Text, new { message = "wrong field" }), "'text' is required"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Text, "not an object"), "must be a JSON object"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Expression, new { name = "smug", weight = 0.5 }), "Unknown expression"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Expression, new { name = "sad", weight = 1.5 }), "from 0 to 1"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Gesture, new { name = "moonwalk" }), "Unknown gesture"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Gaze, new { target = "ceiling" }), "Unknown gaze target"),
            (device, () => device.SendAsync(id, EventKinds.Signal, new { name = "telepathy", value = 1 }), "Unknown signal"),
            (device, () => device.SendAsync(id, EventKinds.Signal, new { name = "touch" }), "'value' is required"),
            (counselor, () => counselor.SendTextAsync(id, "no id", clientMsgId: ""), "'clientMsgId' is required"),
            (counselor, () => counselor.SendTextAsync(id, "long id", clientMsgId: new string('x', 65)), "'clientMsgId' is longer"),
            (counselor, () => counselor.SendTextAsync("not-a-session", "hello"), "Invalid session id"),
            (counselor, () => counselor.JoinAsync(s.Client.Id), "Invalid session id"),
            (counselor, () => counselor.JoinAsync("sa_" + id[3..]), "Invalid session id"),
            (counselor, () => counselor.JoinAsync("sex_" + id[3..]), "Invalid session id"),
            (counselor, () => counselor.SendTextAsync("se_00000000000000000000000000000000", "hello"), "Join the session"),
            (counselor, () => counselor.JoinAsync("se_00000000000000000000000000000000"), "Session not found"),
            (counselor, () => counselor.JoinAsync(id, afterSeq: -1), "'afterSeq' must be 0 or more"),
            (device, () => device.SendAsync(id, EventKinds.Assessment, new { instrument = "phq9", requestId = "r1" }), "may not send 'assessment'"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Assessment, new { instrument = "PHQ 9!", requestId = "r1" }), "'instrument' must be an instrument id"),
            (counselor, () => counselor.SendAsync(id, EventKinds.Assessment, new { instrument = "phq9" }), "'requestId' is required"),
        };

        foreach (var (from, call, reason) in cases)
        {
            var error = await Assert.ThrowsAsync<HubException>(call);
            Assert.Contains(reason, error.Message);
            Assert.Equal(before, await App.CountEventsAsync(id));
        }

        var exactly4000 = await counselor.SendTextAsync(id, new string('b', 4000));
        var fromDevice = await device.SendTextAsync(id, "Still connected.");
        Assert.Equal(before + 1, exactly4000.Seq);
        Assert.Equal(before + 2, fromDevice.Seq);
    }

    [Fact]
    public async Task A_counselor_can_ask_the_device_for_a_self_report()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;

        var ack = await counselor.SendAsync(s.Session.Id, EventKinds.Assessment, new { instrument = "phq9", requestId = "req-1", extra = "dropped" });
        var received = await device.WaitForEventAsync(e => e.Seq == ack.Seq);

        Assert.Equal(EventKinds.Assessment, received.Kind);
        Assert.Equal("phq9", received.Body.GetProperty("instrument").GetString());
        Assert.Equal("req-1", received.Body.GetProperty("requestId").GetString());
        Assert.False(received.Body.TryGetProperty("extra", out var dropped), $"unknown field kept: {dropped}");
    }

    [Fact]
    public async Task Callers_cannot_join_sessions_they_may_not_see()
    {
        var s = await Scenario.CreateAsync(App);
        var otherCounselor = await App.CreateStaffAsync(Roles.Counselor);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var otherClient = await App.CreateClientAsync(otherCounselor.Token);
        var otherDevice = await App.PairDeviceAsync(otherCounselor.Token, otherClient.Id);
        var familyDevice = await App.PairDeviceAsync(s.Counselor.Token, s.Client.Id, DeviceKinds.Family);
        var familySession = await App.CreateSessionAsync(s.Counselor.Token, s.Client.Id, familyOnly: true);

        async Task Refused(string hub, string token, string sessionId)
        {
            await using var connection = await App.ConnectAsync(hub, token);
            var error = await Assert.ThrowsAsync<HubException>(() => connection.JoinAsync(sessionId));
            Assert.Contains("Session not found", error.Message);
            var send = await Assert.ThrowsAsync<HubException>(() => connection.SendTextAsync(sessionId, "let me in"));
            Assert.Contains("Join the session", send.Message);
        }

        await Refused(HubPaths.Counselor, otherCounselor.Token, s.Session.Id);
        await Refused(HubPaths.Counselor, admin.Token, s.Session.Id);
        await Refused(HubPaths.Avatar, otherDevice.AccessToken, s.Session.Id);
        await Refused(HubPaths.Avatar, familyDevice.AccessToken, s.Session.Id);
        await Refused(HubPaths.Avatar, s.Device.AccessToken, familySession.Id);

        // The family device does join the family session; a supervisor joins any.
        await using var family = await App.ConnectAsync(HubPaths.Avatar, familyDevice.AccessToken);
        Assert.Equal(SessionStates.Waiting, (await family.JoinAsync(familySession.Id)).State);
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        await using var sup = await App.ConnectAsync(HubPaths.Counselor, supervisor.Token);
        Assert.Equal(SessionStates.Active, (await sup.JoinAsync(familySession.Id)).State);
        Assert.Equal(0, await App.CountEventsAsync("se_00000000000000000000000000000000"));
    }

    [Fact]
    public async Task Each_hub_refuses_the_other_kind_of_token()
    {
        var s = await Scenario.CreateAsync(App);
        var deviceOnCounselorHub = await App.ConnectAsync(HubPaths.Counselor, s.Device.AccessToken, start: false);
        var counselorOnAvatarHub = await App.ConnectAsync(HubPaths.Avatar, s.Counselor.Token, start: false);
        var anonymous = await App.ConnectAsync(HubPaths.Avatar, "", start: false);

        await Assert.ThrowsAnyAsync<Exception>(() => deviceOnCounselorHub.Connection.StartAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => counselorOnAvatarHub.Connection.StartAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.Connection.StartAsync());
    }

    [Fact]
    public async Task Presence_follows_connections_and_leaving_is_logged()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;

        // A second connection of the same counselor: no second "joined", and leaving it keeps them present.
        await using (var second = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token))
        {
            var join = await second.JoinAsync(s.Session.Id);
            Assert.Equal(1, join.Events.Count(e => Describe(e) == "joined" && e.Body.GetProperty("participant").GetProperty("id").GetString() == s.Counselor.Id));
            await second.Connection.InvokeAsync(HubMethods.LeaveSession, s.Session.Id);
        }

        var marker = await device.SendTextAsync(s.Session.Id, "marker");
        await counselor.WaitForEventAsync(e => e.Seq == marker.Seq);
        Assert.DoesNotContain(counselor.Events, e => Describe(e) == "left");

        await device.Connection.InvokeAsync(HubMethods.LeaveSession, s.Session.Id);
        var left = await counselor.WaitForEventAsync(e => Describe(e) == "left");
        Assert.Equal(s.Device.DeviceId, left.Body.GetProperty("participant").GetProperty("id").GetString());
        var state = await counselor.WaitForStateAsync(st => st.Participants.Any(p => p.Id == s.Device.DeviceId && !p.Present));
        Assert.Equal(SessionStates.Active, state.State);
        Assert.Contains(state.Participants, p => p.Id == s.Counselor.Id && p.Present);

        var session = await App.ExpectAsync<SessionDto>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}", s.Counselor.Token);
        Assert.False(session.Participants.Single(p => p.Id == s.Device.DeviceId).Present);
        Assert.Equal(left.Seq, session.LastSeq);
    }

    [Fact]
    public async Task A_connection_that_left_gets_no_more_pushes_while_the_others_still_do()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        await using var second = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await second.JoinAsync(s.Session.Id);
        var both = await device.SendTextAsync(s.Session.Id, "to both counselor connections");
        await second.WaitForEventAsync(e => e.Seq == both.Seq);

        await second.Connection.InvokeAsync(HubMethods.LeaveSession, s.Session.Id);
        var first = await device.SendTextAsync(s.Session.Id, "after the leave");
        var last = await device.SendTextAsync(s.Session.Id, "after the leave, again");
        await counselor.WaitForEventAsync(e => e.Seq == last.Seq);
        await device.WaitForEventAsync(e => e.Seq == last.Seq);

        // A round trip on the connection that left, a send it may no longer make: any push written to it before
        // would have arrived first.
        var refused = await Assert.ThrowsAsync<HubException>(() => second.SendTextAsync(s.Session.Id, "after leaving"));
        Assert.Contains("Join the session", refused.Message);
        Assert.DoesNotContain(second.Events, e => e.Seq >= first.Seq);
        Assert.Equal(1, counselor.Events.Count(e => e.Seq == first.Seq));
        Assert.Equal(1, device.Events.Count(e => e.Seq == first.Seq));

        // Joining again makes it a sender again.
        await second.JoinAsync(s.Session.Id, afterSeq: last.Seq);
        var back = await second.SendTextAsync(s.Session.Id, "back");
        await device.WaitForEventAsync(e => e.Seq == back.Seq);
    }

    [Fact]
    public async Task A_session_the_client_never_joined_ends_as_noShow()
    {
        var s = await Scenario.CreateAsync(App);
        await using var counselor = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await counselor.JoinAsync(s.Session.Id);
        var state = await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, (string?)null);
        Assert.Equal(SessionStates.NoShow, state.State);

        var again = await Assert.ThrowsAsync<HubException>(() => counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "twice"));
        Assert.Contains("noShow already", again.Message);
    }

    [Fact]
    public async Task Devices_cannot_end_sessions_and_admins_cannot_end_or_see_them()
    {
        var s = await Scenario.CreateAsync(App);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await device.JoinAsync(s.Session.Id);
        await Assert.ThrowsAsync<HubException>(() => device.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "bye"));

        await using var adminHub = await App.ConnectAsync(HubPaths.Counselor, admin.Token);
        var error = await Assert.ThrowsAsync<HubException>(() => adminHub.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "bye"));
        Assert.Contains("Session not found", error.Message);
        var session = await App.ExpectAsync<SessionDto>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}", s.Counselor.Token);
        Assert.Equal(SessionStates.Waiting, session.State);
    }

    [Fact]
    public async Task The_counselor_grain_knows_presence_and_the_sessions_open_now()
    {
        var s = await Scenario.CreateAsync(App);
        var grains = App.Services.GetRequiredService<IGrainFactory>();
        var counselorGrain = grains.GetGrain<ICounselorGrain>(s.Counselor.Id);
        Assert.Contains(s.Client.Id, (await counselorGrain.GetSummary()).Caseload);

        await using (var counselor = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token))
        {
            await counselor.JoinAsync(s.Session.Id);
            var summary = await counselorGrain.GetSummary();
            Assert.True(summary.Present);
            Assert.Contains(s.Session.Id, summary.OpenSessionIds);

            await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "done");
            Assert.DoesNotContain(s.Session.Id, (await counselorGrain.GetSummary()).OpenSessionIds);
        }

        await Poll.UntilAsync(async () => !(await counselorGrain.GetSummary()).Present, "the counselor grain to see the counselor gone");
    }

    [Fact]
    public async Task Hubs_allow_stateful_reconnect()
    {
        var s = await Scenario.CreateAsync(App);
        using var response = await App.PostAsync($"{HubPaths.Counselor}/negotiate?negotiateVersion=1&useStatefulReconnect=true", s.Counselor.Token, "");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("useStatefulReconnect").GetBoolean());
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_that_connection_only()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        // 40 KB is over SignalR's default limit (32 KB) but within ours (64 KB): accepted, unknown fields dropped.
        var large = await device.SendAsync(s.Session.Id, EventKinds.Text, new { text = "hello", padding = new string('p', 40_000) });
        var stored = await counselor.WaitForEventAsync(e => e.Seq == large.Seq);
        Assert.Equal("{\"text\":\"hello\"}", stored.Body.GetRawText());
        var before = await App.CountEventsAsync(s.Session.Id);

        var oversized = device.SendAsync(s.Session.Id, EventKinds.Text, new { text = new string('z', 70_000) });
        await device.Closed.WaitAsync(HubClient.Timeout);

        await Assert.ThrowsAnyAsync<Exception>(() => oversized);

        // Only the "left" of the closed connection was stored, nothing of the message.
        var left = await counselor.WaitForEventAsync(e => Describe(e) == "left");
        Assert.Equal(before + 1, await App.CountEventsAsync(s.Session.Id));
        Assert.Equal(before + 1, left.Seq);
        var ack = await counselor.SendTextAsync(s.Session.Id, "The counselor's connection is fine.");
        Assert.False(ack.Duplicate);
    }

    [Fact]
    public async Task A_quiet_session_keeps_its_observers_and_presence_for_as_long_as_connections_stay()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        var subscriptions = App.Services.GetRequiredService<SessionSubscriptions>();

        // Twenty quiet minutes: longer than the grains' idle collection age and the observers' expiry.
        for (var minute = 0; minute < 20; minute++)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            await subscriptions.RenewAsync();
        }

        var ack = await device.SendTextAsync(s.Session.Id, "Sorry, I was thinking.");
        var pushed = await counselor.WaitForEventAsync(e => e.Seq == ack.Seq);
        Assert.Equal("Sorry, I was thinking.", pushed.Body.GetProperty("text").GetString());
        var session = await App.ExpectAsync<SessionDto>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}", s.Counselor.Token);
        Assert.All(session.Participants, p => Assert.True(p.Present));
    }

    [Fact]
    public async Task A_node_drops_its_observer_once_no_connection_uses_the_session()
    {
        var s = await Scenario.CreateAsync(App);
        var subscriptions = App.Services.GetRequiredService<SessionSubscriptions>();
        Assert.False(subscriptions.Has(s.Session.Id));
        await using (var counselor = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token))
        {
            await counselor.JoinAsync(s.Session.Id);
            Assert.True(subscriptions.Has(s.Session.Id));
            await counselor.Connection.InvokeAsync(HubMethods.LeaveSession, s.Session.Id);
        }

        await subscriptions.RenewAsync();
        Assert.True(subscriptions.Has(s.Session.Id)); // kept for one period, in case someone rejoins
        App.Clock.Advance(SessionObserverTiming.RenewPeriod);
        await subscriptions.RenewAsync();
        Assert.False(subscriptions.Has(s.Session.Id));

        // Joining again subscribes a new observer and pushes flow.
        await using var again = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await again.JoinAsync(s.Session.Id);
        var ack = await again.SendTextAsync(s.Session.Id, "back");
        await again.WaitForEventAsync(e => e.Seq == ack.Seq);
    }

    internal static string Describe(SessionEventDto e) =>
        e.Kind != EventKinds.System ? e.Kind
        : e.Body.GetProperty("action").GetString() == "state" ? e.Body.GetProperty("state").GetString()! : e.Body.GetProperty("action").GetString()!;
}

using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Counselors;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>What was acknowledged survives a server restart on the same database file.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private readonly TestServerApp _app = new();

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Idempotent_send_and_resume_survive_a_restart()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        var first = await device.SendTextAsync(s.Session.Id, "Please remember this.", clientMsgId: "before-restart");
        var counselorAck = await counselor.SendTextAsync(s.Session.Id, "I will.");
        await counselor.DisposeAsync();
        await device.DisposeAsync();

        await _app.RestartAsync();
        var stored = await _app.CountEventsAsync(s.Session.Id);

        // The session, its state and its log are back; presence is not (no connections yet).
        var session = await _app.ExpectAsync<SessionDto>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}", s.Counselor.Token);
        Assert.Equal(SessionStates.Active, session.State);
        Assert.Equal(stored, session.LastSeq);
        Assert.All(session.Participants, p => Assert.False(p.Present));

        await using var counselorAgain = await _app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        var counselorJoin = await counselorAgain.JoinAsync(s.Session.Id, afterSeq: first.Seq - 1);
        Assert.Equal([first.Seq, counselorAck.Seq], counselorJoin.Events.Where(e => e.Kind == EventKinds.Text).Select(e => e.Seq));
        Assert.Equal(Enumerable.Range((int)first.Seq, counselorJoin.Events.Count).Select(i => (long)i), counselorJoin.Events.Select(e => e.Seq));

        await using var deviceAgain = await _app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await deviceAgain.JoinAsync(s.Session.Id, afterSeq: counselorAck.Seq);
        var countBefore = await _app.CountEventsAsync(s.Session.Id);

        // Nothing in memory knows this clientMsgId any more: the answer comes from the log.
        var resend = await deviceAgain.SendTextAsync(s.Session.Id, "Please remember this.", clientMsgId: "before-restart");
        Assert.True(resend.Duplicate);
        Assert.Equal((first.Seq, first.At), (resend.Seq, resend.At));
        Assert.Equal(countBefore, await _app.CountEventsAsync(s.Session.Id));

        // Seq continues after the restart without a gap; the resend was not broadcast.
        var next = await deviceAgain.SendTextAsync(s.Session.Id, "New message.");
        Assert.Equal(countBefore + 1, next.Seq);
        await counselorAgain.WaitForEventAsync(e => e.Seq == next.Seq);
        Assert.DoesNotContain(counselorAgain.Events, e => e.Seq == first.Seq);
    }

    [Fact]
    public async Task A_send_that_committed_but_failed_to_answer_is_published_and_recognised_when_resent()
    {
        const string Marker = "answer lost 9d41";
        await using var app = new TestServerApp(services: services => FailingEventStore.Replace(services, Marker, afterCommit: true));
        app.Start();
        var s = await Scenario.CreateAsync(app);
        var (counselor, device) = await s.JoinBothAsync(app);
        var known = await device.SendTextAsync(s.Session.Id, "Known before the failure.", clientMsgId: "known");
        var before = await app.CountEventsAsync(s.Session.Id);

        // The write committed, but the sender got an error: it cannot know, so it resends.
        await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, Marker, clientMsgId: "answer-lost"));
        Assert.Equal(before + 1, await app.CountEventsAsync(s.Session.Id));

        var resend = await device.SendTextAsync(s.Session.Id, Marker, clientMsgId: "answer-lost");
        Assert.True(resend.Duplicate);
        Assert.Equal(before + 1, resend.Seq);
        Assert.True(resend.At >= known.At);

        // What is in the log is published, once, as if its answer had not been lost.
        var published = await counselor.WaitForEventAsync(e => e.Seq == resend.Seq);
        Assert.Equal(Marker, published.Body.GetProperty("text").GetString());
        var again = await device.SendTextAsync(s.Session.Id, "Known before the failure.", clientMsgId: "known");
        Assert.Equal((known.Seq, true), (again.Seq, again.Duplicate));
        Assert.Equal(before + 1, await app.CountEventsAsync(s.Session.Id));

        // The next new message takes the seq after it: no gap, no double.
        var next = await counselor.SendTextAsync(s.Session.Id, "And now?");
        Assert.Equal((before + 2, false), (next.Seq, next.Duplicate));
        Assert.Equal(before + 2, await app.CountEventsAsync(s.Session.Id));
        await device.WaitForEventAsync(e => e.Seq == next.Seq);
        Assert.Single(device.Events, e => e.Seq == resend.Seq);
        Assert.Single(counselor.Events, e => e.Seq == resend.Seq);
    }

    [Fact]
    public async Task An_end_that_committed_but_failed_to_answer_ends_the_session_for_everyone_and_keeps_its_note_when_resent()
    {
        const string Marker = "\"state\":\"ended\"";
        const string Note = "Calm; next week at the same time.";
        await using var app = new TestServerApp(services: services => FailingEventStore.Replace(services, Marker, afterCommit: true));
        app.Start();
        var s = await Scenario.CreateAsync(app);
        var (counselor, device) = await s.JoinBothAsync(app);
        await device.SendTextAsync(s.Session.Id, "Hello.");
        var before = await app.CountEventsAsync(s.Session.Id);

        // The end is in the log, but the counselor got an error.
        await Assert.ThrowsAsync<HubException>(() => counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, Note));
        Assert.Equal(before + 1, await app.CountEventsAsync(s.Session.Id));

        // The log wins: the next call finds the session ended, and everyone is told.
        var refused = await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, "Still there?"));
        Assert.Contains("ended", refused.Message, StringComparison.Ordinal);
        await device.WaitForEventAsync(e => e.Seq == before + 1 && e.Kind == EventKinds.System);
        await counselor.WaitForStateAsync(st => st.State == SessionStates.Ended);

        // The counselor resends the end: it completes with its note, once.
        var resent = await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, Note);
        Assert.Equal(SessionStates.Ended, resent.State);
        using var transcript = await app.GetAsync($"/api/sessions/{s.Session.Id}/transcript", s.Counselor.Token);
        Assert.Contains(Note, await transcript.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<HubException>(() => counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "Another note."));
        Assert.Contains("ended already", again.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, await app.CountEventsAsync(s.Session.Id));
        var open = await app.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", s.Device.AccessToken);
        Assert.DoesNotContain(open, o => o.Id == s.Session.Id);
    }

    [Fact]
    public async Task A_cancel_that_committed_but_failed_to_answer_succeeds_when_resent()
    {
        const string Marker = "\"state\":\"cancelled\"";
        await using var app = new TestServerApp(services: services => FailingEventStore.Replace(services, Marker, afterCommit: true));
        app.Start();
        var s = await Scenario.CreateAsync(app);
        var path = $"/api/sessions/{s.Session.Id}/cancel";

        // The cancel is in the log, but the counselor got an error.
        using (var failed = await app.PostAsync(path, s.Counselor.Token, null))
        {
            Assert.False(failed.IsSuccessStatusCode);
        }

        var resent = await app.ExpectAsync<SessionDto>(200, HttpMethod.Post, path, s.Counselor.Token);
        Assert.Equal(SessionStates.Cancelled, resent.State);
        var open = await app.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", s.Device.AccessToken);
        Assert.DoesNotContain(open, o => o.Id == s.Session.Id);
        await app.ExpectAsync<ProblemDetails>(409, HttpMethod.Post, path, s.Counselor.Token);
    }

    [Trait("Storage", "Sqlite")] // edits the SQLite file as a crash would have left it
    [Fact]
    public async Task An_end_whose_state_write_was_lost_in_a_restart_is_taken_from_the_log_and_completed_when_resent()
    {
        const string Note = "Spoke about the week; no risk raised.";
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await device.SendTextAsync(s.Session.Id, "Hello.");
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, Note);
        await counselor.DisposeAsync();
        await device.DisposeAsync();

        // As if the process had died between the log's append and the state's write: the state is still active.
        await _app.RestartAsync(() => _app.ExecuteAsync(
            "UPDATE grain_state SET payload = json_set(payload, '$.state', 'active', '$.closingNote', NULL, '$.closedBy', NULL, '$.endedAt', NULL) " +
            $"WHERE grain_type = 'session' AND grain_key = '{s.Session.Id}'"));

        await using var counselorAgain = await _app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        var joined = await counselorAgain.JoinAsync(s.Session.Id);
        Assert.Equal(SessionStates.Ended, joined.State);
        var resent = await counselorAgain.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, Note);
        Assert.Equal(SessionStates.Ended, resent.State);
        using var transcript = await _app.GetAsync($"/api/sessions/{s.Session.Id}/transcript", s.Counselor.Token);
        Assert.Contains(Note, await transcript.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Trait("Storage", "Sqlite")] // edits the SQLite file as a crash would have left it
    [Theory]
    [InlineData(true)] // died between the log's append and the state's write
    [InlineData(false)] // died between the state's write and telling the client's grain and the staff
    public async Task An_end_lost_in_a_restart_leaves_the_lists_of_open_sessions_when_the_session_comes_back(bool stateWriteLost)
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "Done for today.");
        await counselor.DisposeAsync();
        await device.DisposeAsync();

        // Neither the client's list nor the counselor's open sessions heard of the end: they are told after the
        // state write.
        var sessionState = stateWriteLost
            ? "UPDATE grain_state SET payload = json_set(payload, '$.state', 'active', '$.closingNote', NULL, '$.closedBy', NULL, '$.endedAt', NULL) " +
              $"WHERE grain_type = 'session' AND grain_key = '{s.Session.Id}'; "
            : "";
        await _app.RestartAsync(() => _app.ExecuteAsync(
            sessionState +
            "UPDATE grain_state SET payload = (SELECT json_set(grain_state.payload, '$.sessions[' || entry.key || '].state', 'active') " +
            $"FROM json_each(grain_state.payload, '$.sessions') AS entry WHERE json_extract(entry.value, '$.sessionId') = '{s.Session.Id}') " +
            $"WHERE grain_type = 'client' AND grain_key = '{s.Client.Id}'; " +
            $"UPDATE grain_state SET payload = json_insert(payload, '$.openSessionIds[#]', '{s.Session.Id}') " +
            $"WHERE grain_type = 'counselor' AND grain_key = '{s.Counselor.Id}'"));
        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        Assert.Contains(await grains.GetGrain<IClientGrain>(s.Client.Id).GetSessions(), o => o.SessionId == s.Session.Id && o.IsOpen);
        Assert.Contains(s.Session.Id, (await grains.GetGrain<ICounselorGrain>(s.Counselor.Id).GetSummary()).OpenSessionIds);

        // The device's first look at its sessions brings the session back, which knows it ended and says so.
        var open = await _app.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", s.Device.AccessToken);
        Assert.DoesNotContain(open, o => o.Id == s.Session.Id);
        Assert.Contains(await grains.GetGrain<IClientGrain>(s.Client.Id).GetSessions(), o => o.SessionId == s.Session.Id && o.State == SessionStates.Ended);
        Assert.DoesNotContain(s.Session.Id, (await grains.GetGrain<ICounselorGrain>(s.Counselor.Id).GetSummary()).OpenSessionIds);
    }

    [Trait("Storage", "Sqlite")] // edits the SQLite file as a crash would have left it
    [Fact]
    public async Task A_resend_is_recognised_in_a_database_that_had_the_former_unique_index()
    {
        var s = await Scenario.CreateAsync(_app);
        var (_, device) = await s.JoinBothAsync(_app);
        var first = await device.SendTextAsync(s.Session.Id, "Stored before the upgrade.", clientMsgId: "old-build");
        await device.DisposeAsync();
        await _app.RestartAsync(() => _app.ExecuteAsync(
            "CREATE UNIQUE INDEX ux_session_events_client_msg ON session_events (session_id, sender_id, client_msg_id)"));

        // Gone on start: it was a page written on every message.
        Assert.Equal(0L, await _app.QueryScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ux_session_events_client_msg'"));
        await using var deviceAgain = await _app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await deviceAgain.JoinAsync(s.Session.Id, afterSeq: first.Seq);
        var resend = await deviceAgain.SendTextAsync(s.Session.Id, "Stored before the upgrade.", clientMsgId: "old-build");
        Assert.Equal((first.Seq, true), (resend.Seq, resend.Duplicate));
    }

    [Fact]
    public async Task Accounts_devices_and_the_signing_key_survive_a_restart()
    {
        var s = await Scenario.CreateAsync(_app);
        await _app.RestartAsync();

        // Tokens issued before the restart still work: the generated key was kept in the key directory.
        var clients = await _app.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", s.Counselor.Token);
        Assert.Equal([s.Client.Id], clients.Select(c => c.Id));
        var sessions = await _app.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", s.Device.AccessToken);
        Assert.Equal([s.Session.Id], sessions.Select(x => x.Id));
        Assert.True(File.Exists(_app.SigningKeyPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_app.SigningKeyPath));
        }
    }
}

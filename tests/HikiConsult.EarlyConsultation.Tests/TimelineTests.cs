using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Domain.Engagement;
using Orleans;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>The session-history timeline follows the session log event by event, through the real hubs.</summary>
public sealed class TimelineTests(SharedServer server) : IClassFixture<SharedServer>
{
    private TestServerApp App => server.App;

    [Fact]
    public async Task The_timeline_follows_the_session_history_event_by_event()
    {
        var s = await Scenario.CreateAsync(App);
        var summary = await SummaryAsync(s);
        Assert.Equal(0, summary.GetProperty("sessionsAttended").GetInt32());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("lastContactAt").ValueKind);

        // The client joins a session the counselor is in: attended.
        await using var counselor = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await counselor.JoinAsync(s.Session.Id);
        var joined = await device.JoinAsync(s.Session.Id);
        Assert.Equal(SessionStates.Active, joined.State);
        summary = await SummaryAsync(s);
        Assert.Equal(1, summary.GetProperty("sessionsAttended").GetInt32());
        Assert.Equal(App.Clock.GetUtcNow(), summary.GetProperty("lastContactAt").GetDateTimeOffset());

        // Three client messages.
        for (var i = 0; i < 3; i++)
        {
            await device.SendTextAsync(s.Session.Id, $"message {i}");
        }

        var timeline = await TimelineAsync(s);
        Assert.Equal(3, timeline.GetProperty("engagementByWeek").EnumerateArray().Sum(w => w.GetProperty("clientMessages").GetInt32()));
        var localHour = ClientTime.Local(App.Clock.GetUtcNow(), "Asia/Tokyo").Hour;
        var hours = timeline.GetProperty("activityByHour").EnumerateArray().Select(h => h.GetInt32()).ToArray();
        Assert.Equal(4, hours[localHour]); // three messages and the attended session, in the client's time zone
        Assert.Equal(4, hours.Sum());
        Assert.Equal(3.0, timeline.GetProperty("summary").GetProperty("messagesPerSession").GetDouble());
        Assert.Equal(JsonValueKind.Null, timeline.GetProperty("summary").GetProperty("medianReplyMinutes").ValueKind);

        // The counselor asks; the client answers two minutes later.
        await counselor.SendTextAsync(s.Session.Id, "How was your week?");
        App.Clock.Advance(TimeSpan.FromMinutes(2));
        await device.SendTextAsync(s.Session.Id, "ok");
        summary = await SummaryAsync(s);
        Assert.Equal(2.0, summary.GetProperty("medianReplyMinutes").GetDouble(), 3);
        Assert.Equal(4.0, summary.GetProperty("messagesPerSession").GetDouble());
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "Calm session.");

        // Two sessions the client never came to, and one cancelled.
        for (var i = 0; i < 2; i++)
        {
            var missed = await App.CreateSessionAsync(s.Counselor.Token, s.Client.Id);
            await counselor.JoinAsync(missed.Id);
            var ended = await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, missed.Id, null);
            Assert.Equal(SessionStates.NoShow, ended.State);
            summary = await SummaryAsync(s);
            Assert.Equal(i + 1, summary.GetProperty("noShows").GetInt32());
            Assert.Equal(i + 1, summary.GetProperty("currentNoShowStreak").GetInt32());
        }

        var cancelled = await App.CreateSessionAsync(s.Counselor.Token, s.Client.Id);
        await App.ExpectStatusAsync(200, HttpMethod.Post, $"/api/sessions/{cancelled.Id}/cancel", s.Counselor.Token);
        summary = await SummaryAsync(s);
        Assert.Equal(1, summary.GetProperty("sessionsCancelled").GetInt32());
        Assert.Equal(2, summary.GetProperty("currentNoShowStreak").GetInt32());
        Assert.Equal(1, summary.GetProperty("sessionsAttended").GetInt32());

        timeline = await TimelineAsync(s);
        Assert.Equal("Asia/Tokyo", timeline.GetProperty("timeZoneId").GetString());
        Assert.Equal("Decision support, not a diagnosis", timeline.GetProperty("label").GetString());
        Assert.Contains(timeline.GetProperty("sources").EnumerateArray(), x => x.GetString()!.Contains("session-history analytics", StringComparison.Ordinal));
        Assert.Equal(2, timeline.GetProperty("engagementByWeek").EnumerateArray().Sum(w => w.GetProperty("noShows").GetInt32()));
    }

    [Fact]
    public async Task Assessment_scores_appear_as_series_with_their_thresholds()
    {
        var s = await Scenario.CreateAsync(App);
        await App.ExpectStatusAsync(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token,
            new { instrument = "phq9", answers = new[] { 2, 2, 2, 2, 2, 0, 0, 0, 0 } });
        var series = Assert.Single((await TimelineAsync(s)).GetProperty("assessments").EnumerateArray());
        Assert.Equal("phq9", series.GetProperty("instrument").GetString());
        Assert.Equal(10, Assert.Single(series.GetProperty("points").EnumerateArray()).GetProperty("total").GetInt32());
        Assert.Equal([5, 10, 15, 20], series.GetProperty("thresholds").EnumerateArray().Select(t => t.GetProperty("value").GetInt32()));
    }

    private async Task<JsonElement> TimelineAsync(Scenario s) => await App.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);

    private async Task<JsonElement> SummaryAsync(Scenario s) => (await TimelineAsync(s)).GetProperty("summary");
}

/// <summary>Analytics are durable: a restart keeps them (written behind on messages, flushed when the server stops).</summary>
public sealed class TimelineDurabilityTests
{
    [Fact]
    [Trait("Storage", "Sqlite")] // reads the grain state row in the SQLite file
    public async Task Message_counts_are_written_behind_between_half_and_all_of_the_write_delay()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        var delay = new EarlyConsultationOptions().AnalyticsWriteDelay;
        await using var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await device.JoinAsync(s.Session.Id);
        await device.SendTextAsync(s.Session.Id, "hello");

        // Applied at once (the timeline reads the grain, and queues behind the message's analytics), not yet stored.
        var timeline = await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(1, ClientMessagesShown(timeline));
        Assert.Equal(0, await StoredClientMessagesAsync(app, s.Client.Id));

        // Just under half the delay: still not stored (a read of the grain runs behind any write that came due).
        app.Clock.Advance(delay / 2 - TimeSpan.FromMilliseconds(1));
        await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(0, await StoredClientMessagesAsync(app, s.Client.Id));

        // The whole delay: stored, so a crash from now on loses nothing of it.
        app.Clock.Advance(delay / 2 + TimeSpan.FromMilliseconds(1));
        await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(1, await StoredClientMessagesAsync(app, s.Client.Id));
    }

    [Fact]
    [Trait("Storage", "Sqlite")] // reads the grain state row in the SQLite file
    public async Task Ending_a_session_writes_its_message_counts_at_once()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        await using var counselor = await app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await counselor.JoinAsync(s.Session.Id);
        await device.JoinAsync(s.Session.Id);
        await device.SendTextAsync(s.Session.Id, "hello");
        await device.SendTextAsync(s.Session.Id, "bye");
        await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(0, await StoredClientMessagesAsync(app, s.Client.Id));

        // A closed session's log is not read again after a restart: its close is written with everything before it.
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, null);
        await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(2, await StoredClientMessagesAsync(app, s.Client.Id));
    }

    [Fact]
    [Trait("Storage", "Sqlite")] // edits the grain state row in the SQLite file
    public async Task A_state_written_before_log_positions_were_kept_counts_on_from_the_logs_end()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        await using (var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken))
        {
            await device.JoinAsync(s.Session.Id);
            await device.SendTextAsync(s.Session.Id, "one");
            await device.SendTextAsync(s.Session.Id, "two");
        }

        // Stopping writes the counts; then the state loses its positions, as a state of the previous version had none.
        await app.RestartAsync(async () => Assert.Equal(1, await app.ExecuteAsync(
            "UPDATE grain_state SET payload = json_remove(payload, '$.openSessions') WHERE grain_type = 'client-early-consultation'")));
        var timeline = await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(2, ClientMessagesShown(timeline));

        await using var again = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await again.JoinAsync(s.Session.Id);
        await again.SendTextAsync(s.Session.Id, "three");
        timeline = await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(3, ClientMessagesShown(timeline));
    }

    [Fact]
    public async Task A_closed_session_that_comes_back_after_a_restart_is_not_counted_again()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        await app.ExpectStatusAsync(200, HttpMethod.Post, $"/api/sessions/{s.Session.Id}/cancel", s.Counselor.Token);
        Assert.Equal(1, (await SummaryAsync(app, s)).GetProperty("sessionsCancelled").GetInt32());

        // Brought back, the session hands its last event, the cancellation, to the sinks again (a crash could have
        // kept it from them); the analytics, which forget a session once it is closed, must not take it twice.
        await app.RestartAsync();
        await app.GetJsonAsync<SessionDto>($"/api/sessions/{s.Session.Id}", s.Counselor.Token);
        Assert.Equal(1, (await SummaryAsync(app, s)).GetProperty("sessionsCancelled").GetInt32());
    }

    [Fact]
    public async Task A_close_the_analytics_read_from_the_log_is_not_counted_again_when_its_call_arrives()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        Assert.Equal(0, (await SummaryAsync(app, s)).GetProperty("sessionsCancelled").GetInt32());

        // The cancellation is in the log but its call never reached the analytics (as if the process had died in
        // between): on start the client's grain reads it from the log and counts it.
        await app.RestartAsync(async () => Assert.Equal(1, await app.ExecuteAsync(
            "INSERT INTO session_events (session_id, seq, at, sender_id, sender_role, sender_name, kind, body, client_msg_id) " +
            "SELECT @session, MAX(seq) + 1, @at, 'server', 'system', 'HikiConsult', 'system', @body, NULL FROM session_events WHERE session_id = @session",
            ("@session", s.Session.Id),
            ("@at", app.Clock.GetUtcNow().ToUnixTimeMilliseconds()),
            ("@body", $$"""{"action":"state","state":"cancelled","from":"scheduled","by":"{{s.Counselor.Id}}"}"""))));
        Assert.Equal(1, (await SummaryAsync(app, s)).GetProperty("sessionsCancelled").GetInt32());

        // Then the call arrives after all, as a one-way call queued while the grain was catching up does: the grain
        // no longer lists the session as open, and must still know that it applied its close.
        var log = await app.Services.GetRequiredService<ISessionEventStore>().ReadAsync(s.Session.Id, 0, 100);
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IClientEarlyConsultationGrain>(s.Client.Id).RecordSessionEvent(log[^1]);
        Assert.Equal(1, (await SummaryAsync(app, s)).GetProperty("sessionsCancelled").GetInt32());
    }

    [Fact]
    [Trait("Storage", "Sqlite")] // edits the grain state row in the SQLite file
    public async Task A_session_whose_end_the_client_record_missed_in_a_crash_is_not_counted_again()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        await using (var counselor = await app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token))
        await using (var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken))
        {
            await counselor.JoinAsync(s.Session.Id);
            await device.JoinAsync(s.Session.Id);
            await device.SendTextAsync(s.Session.Id, "I slept most of the day.");
            await counselor.SendTextAsync(s.Session.Id, "Thank you for telling me.");
            await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "Short session.");
        }

        var before = await SummaryAsync(app, s);
        Assert.Equal(1, before.GetProperty("sessionsAttended").GetInt32());

        // As if the process had died after the session's state write and before the client's record heard of the
        // end: the client's list still has the session open, and on start the analytics catch up with open sessions.
        await app.RestartAsync(async () => Assert.Equal(1, await app.ExecuteAsync(
            "UPDATE grain_state SET payload = (SELECT json_set(grain_state.payload, '$.sessions[' || entry.key || '].state', 'active') " +
            "FROM json_each(grain_state.payload, '$.sessions') AS entry WHERE json_extract(entry.value, '$.sessionId') = $session) " +
            "WHERE grain_type = 'client' AND grain_key = $client",
            ("$session", s.Session.Id),
            ("$client", s.Client.Id))));

        Assert.Equal(before.GetRawText(), (await SummaryAsync(app, s)).GetRawText());
    }

    private static async Task<JsonElement> SummaryAsync(TestServerApp app, Scenario s) =>
        (await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token)).GetProperty("summary");

    /// <summary>Client messages over the weeks the timeline shows.</summary>
    private static int ClientMessagesShown(JsonElement timeline) =>
        timeline.GetProperty("engagementByWeek").EnumerateArray().Sum(w => w.GetProperty("clientMessages").GetInt32());

    private static async Task<int> StoredClientMessagesAsync(TestServerApp app, string clientId)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state WHERE grain_type = 'client-early-consultation' AND grain_key = $key";
        command.Parameters.AddWithValue("$key", clientId);
        if (await command.ExecuteScalarAsync() is not string payload)
        {
            return 0;
        }

        using var state = JsonDocument.Parse(payload);
        return state.RootElement.TryGetProperty("engagement", out var engagement) && engagement.ValueKind == JsonValueKind.Object
            ? engagement.GetProperty("clientMessages").GetInt32()
            : 0;
    }

    [Fact]
    public async Task The_timeline_survives_a_restart()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        await using (var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken))
        {
            await device.JoinAsync(s.Session.Id);
            for (var i = 0; i < 5; i++)
            {
                await device.SendTextAsync(s.Session.Id, $"line {i}");
            }
        }

        var before = await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        await app.RestartAsync();
        var after = await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(5, ClientMessagesShown(after));
        Assert.Equal(before.GetProperty("activityByHour").GetRawText(), after.GetProperty("activityByHour").GetRawText());
        Assert.Equal(before.GetProperty("summary").GetProperty("lastContactAt").GetDateTimeOffset(), after.GetProperty("summary").GetProperty("lastContactAt").GetDateTimeOffset());
    }
}

using System.Text.Json;
using System.Globalization;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using HikiConsult.Grains.EarlyConsultation;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>The triage queue over the API and the counselor hub: order, reasons with their data, who sees what.</summary>
public sealed class TriageTests(SharedServer server) : IClassFixture<SharedServer>
{
    private TestServerApp App => server.App;

    private string Today => App.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_queue_is_ordered_by_priority_with_reasons_and_pushed_to_the_clients_counselor()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        await using var hub = await App.ConnectAsync(HubPaths.Counselor, counselor.Token);
        await using var otherHub = await App.ConnectAsync(HubPaths.Counselor, other.Token);
        await using var supervisorHub = await App.ConnectAsync(HubPaths.Counselor, supervisor.Token);
        var cssrsHigh = await App.CreateClientAsync(counselor.Token);
        var preHikikomori = await App.CreateClientAsync(counselor.Token);
        var phq9Item9 = await App.CreateClientAsync(counselor.Token);
        var quiet = await App.CreateClientAsync(counselor.Token);

        await Assess(preHikikomori.Id, counselor, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0]);
        await App.ExpectStatusAsync(201, HttpMethod.Post, $"/api/clients/{preHikikomori.Id}/isolation-records", counselor.Token,
            new { estimatedMonthsOfContinuousIsolation = 4, daysOutOfHomePerWeek = 2, rarelyLeavesOneRoom = false, functionalImpairment = true, distress = false });
        await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == preHikikomori.Id));
        await Assess(phq9Item9.Id, counselor, "phq9", [1, 1, 0, 0, 0, 0, 0, 0, 2]);
        await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == phq9Item9.Id));
        await Assess(cssrsHigh.Id, counselor, "cssrs-screener", [1, 1, 1, 1, 1, 0]);
        var pushed = await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == cssrsHigh.Id));

        var queue = await App.GetJsonAsync<TriageQueueDto>("/api/triage", counselor.Token);
        Assert.Equal([cssrsHigh.Id, phq9Item9.Id, preHikikomori.Id], queue.Entries.Select(e => e.ClientId));
        Assert.Equal(queue.Entries.Select(e => e.ClientId), pushed.Value.Entries.Select(e => e.ClientId));
        Assert.StartsWith("Decision support, not a diagnosis", queue.Label, StringComparison.Ordinal);

        var first = queue.Entries[0];
        Assert.Equal(cssrsHigh.Alias, first.ClientAlias);
        Assert.Equal(1000, first.Score);
        var reason = Assert.Single(first.Reasons);
        Assert.Equal("CSSRS_HIGH", reason.Code);
        Assert.Equal("C-SSRS screener high: immediate action.", reason.Text);
        Assert.Equal($"C-SSRS screener level high on {Today}", reason.Data);

        var second = Assert.Single(queue.Entries[1].Reasons);
        Assert.Equal(("PHQ9_ITEM9", 160.0, $"PHQ-9 item 9 answered 2 on {Today}"), (second.Code, second.Weight, second.Data));

        var third = Assert.Single(queue.Entries[2].Reasons);
        Assert.Equal("KATO_PRE_HIKIKOMORI", third.Code);
        Assert.Equal(120, third.Weight);
        Assert.Equal($"Kato 2020 status pre-hikikomori, mild, recorded {Today}", third.Data);
        Assert.DoesNotContain(queue.Entries, e => e.ClientId == quiet.Id);

        // A supervisor sees them in the same order among everyone's; another counselor sees none of them.
        var all = await App.GetJsonAsync<TriageQueueDto>("/api/triage", supervisor.Token);
        Assert.Equal(queue.Entries.Select(e => e.ClientId), all.Entries.Select(e => e.ClientId).Where(id => queue.Entries.Any(q => q.ClientId == id)));
        await supervisorHub.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == cssrsHigh.Id));
        var theirs = await App.GetJsonAsync<TriageQueueDto>("/api/triage", other.Token);
        Assert.DoesNotContain(theirs.Entries, e => e.ClientId == cssrsHigh.Id || e.ClientId == phq9Item9.Id || e.ClientId == preHikikomori.Id);
        Assert.DoesNotContain(otherHub.TriageUpdates, u => u.Value.Entries.Any(e => e.ClientId == cssrsHigh.Id));
    }

    [Fact]
    public async Task An_unacknowledged_high_risk_alert_comes_first_until_it_is_acknowledged()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var pre = await App.CreateClientAsync(counselor.Token);
        await App.ExpectStatusAsync(201, HttpMethod.Post, $"/api/clients/{pre.Id}/isolation-records", counselor.Token,
            new { estimatedMonthsOfContinuousIsolation = 5, daysOutOfHomePerWeek = 0, rarelyLeavesOneRoom = true, functionalImpairment = true, distress = true });

        await using var flow = await AlertFlow.RaiseAsync(App, "I'm going to hang myself tonight", counselor);
        var withAlert = await flow.Counselor.WaitForTriageAsync(q => q.Entries.Count == 2 && q.Entries[0].ClientId == flow.Scenario.Client.Id);
        var top = withAlert.Value.Entries[0];
        Assert.True(top.Score >= 1000);
        var reason = Assert.Single(top.Reasons);
        Assert.Equal("RISK_ALERT_HIGH", reason.Code);
        Assert.Contains("plan or means", reason.Text, StringComparison.Ordinal);
        Assert.StartsWith("1 unacknowledged (plan or means ×1)", reason.Data, StringComparison.Ordinal);
        Assert.Equal(150, withAlert.Value.Entries[1].Score); // pre-hikikomori 120 + severe 30

        await flow.Counselor.AcknowledgeAsync(flow.Alert.AlertId, "Safety plan made.");
        var after = await flow.Counselor.WaitForTriageAsync(q => q.Entries.All(e => e.ClientId != flow.Scenario.Client.Id));
        Assert.Equal([pre.Id], after.Value.Entries.Select(e => e.ClientId));
    }

    [Fact]
    public async Task No_show_streaks_and_a_rising_HQ25_are_reasons_with_their_data()
    {
        var s = await Scenario.CreateAsync(App);
        await using var hub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        foreach (var session in new[] { s.Session, await App.CreateSessionAsync(s.Counselor.Token, s.Client.Id) })
        {
            await hub.JoinAsync(session.Id);
            await hub.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, session.Id, null);
        }

        var streak = await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.Reasons.Any(r => r.Code == "NO_SHOW_STREAK")));
        var noShow = Assert.Single(Assert.Single(streak.Value.Entries).Reasons);
        Assert.Equal(("Missed the last 2 sessions in a row.", 80.0, "no-show streak 2"), (noShow.Text, noShow.Weight, noShow.Data));

        await Assess(s.Client.Id, s.Counselor, "hq25", new int[25]);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var raised = Enumerable.Range(1, 25).Select(n => n is 4 or 7 or 10 or 15 or 21 or 25 ? 0 : 2).ToArray();
        await Assess(s.Client.Id, s.Counselor, "hq25", raised);
        var rising = await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.Reasons.Any(r => r.Code == "HQ25_RISING")));
        var hq25 = Assert.Single(rising.Value.Entries).Reasons.Single(r => r.Code == "HQ25_RISING");
        Assert.Equal("HQ-25 rose by 38 and crossed the cut-off of 42.", hq25.Text);
        Assert.Equal(200, hq25.Weight);
        Assert.Equal($"HQ-25 24 on {Today}, 62 on {Today}", hq25.Data);
    }

    [Fact]
    public async Task An_update_that_leaves_a_clients_entry_as_shown_pushes_nothing()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        await using var hub = await App.ConnectAsync(HubPaths.Counselor, counselor.Token);
        var steady = await App.CreateClientAsync(counselor.Token);
        var changing = await App.CreateClientAsync(counselor.Token);
        await Assess(steady.Id, counselor, "phq9", [1, 1, 0, 0, 0, 0, 0, 0, 2]);
        await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == steady.Id));
        var pushesBefore = hub.TriageUpdates.Count;

        // The same answers again: the client's signals are sent to the queue, but its entry reads the same.
        await Assess(steady.Id, counselor, "phq9", [1, 1, 0, 0, 0, 0, 0, 0, 2]);
        // Then a change for another client of the same counselor: its push is the next one, so nothing came between.
        await Assess(changing.Id, counselor, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]);
        var pushed = await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == changing.Id));

        Assert.Equal(pushesBefore + 1, hub.TriageUpdates.Count);
        Assert.Equal([steady.Id, changing.Id], pushed.Value.Entries.Select(e => e.ClientId));
    }

    private Task Assess(string clientId, Staff counselor, string instrument, int[] answers) =>
        App.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{clientId}/assessments", counselor.Token, new { instrument, answers });
}

/// <summary>The daily refresh moves time-driven reasons on without any new event.</summary>
public sealed class TriageRefreshTests
{
    [Fact]
    public async Task An_update_rescores_its_own_client_only_while_reads_score_everyone_now()
    {
        await using var app = new TestServerApp().Start();
        await using var flow = await AlertFlow.RaiseAsync(app);
        var alerted = flow.Scenario.Client.Id;
        var shown = await flow.Counselor.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == alerted));
        var shownData = shown.Value.Entries.Single(e => e.ClientId == alerted).Reasons[0].Data;
        Assert.EndsWith("0 min ago", shownData, StringComparison.Ordinal);

        // The message's activity is written behind: let that write (and its update of this entry) happen first. Calls
        // to the client's grain and then to the queue run behind the write's turn and its update.
        app.Clock.Advance(new EarlyConsultationOptions().AnalyticsWriteDelay);
        await app.GetJsonAsync<JsonElement>($"/api/clients/{alerted}/timeline", flow.Scenario.Counselor.Token);
        await app.GetJsonAsync<TriageQueueDto>("/api/triage", flow.Scenario.Counselor.Token);

        // Three minutes on (the alert escalates after five), another client of the counselor changes.
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var counselor = await app.SignInAgainAsync(flow.Scenario.Counselor);
        var other = await app.CreateClientAsync(counselor.Token);
        await app.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{other.Id}/assessments", counselor.Token,
            new { instrument = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1 } });
        var pushed = await flow.Counselor.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == other.Id));

        // The push carries the alerted client's entry as last shown; the queue read scores it now.
        Assert.Equal(shownData, pushed.Value.Entries.Single(e => e.ClientId == alerted).Reasons[0].Data);
        var read = await app.GetJsonAsync<TriageQueueDto>("/api/triage", counselor.Token);
        Assert.EndsWith("3 min ago", read.Entries.Single(e => e.ClientId == alerted).Reasons[0].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daily_refresh_finds_falling_engagement_and_days_without_contact()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        await using (var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken))
        {
            await device.JoinAsync(s.Session.Id);
            for (var i = 0; i < 6; i++)
            {
                await device.SendTextAsync(s.Session.Id, $"update {i}");
            }
        }

        // The sink updates the analytics after each ack: wait until all six are counted before moving the clock, or a
        // message still on its way would be counted (or time out) fifteen days later.
        var counted = 0;
        await Poll.UntilAsync(
            async () =>
            {
                var timeline = await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
                counted = timeline.GetProperty("engagementByWeek").EnumerateArray().Sum(w => w.GetProperty("clientMessages").GetInt32());
                return counted >= 6;
            },
            "the six messages counted in the client's timeline");
        Assert.Equal(6, counted);
        Assert.DoesNotContain((await app.GetJsonAsync<TriageQueueDto>("/api/triage", s.Counselor.Token)).Entries, e => e.ClientId == s.Client.Id);

        // Fifteen days without a word: the refresh recomputes the four-week window of every client. The clock moves a day
        // at a time, each step followed by a call to the triage grain: that call queues behind the refresh's turn, so the
        // refresh has finished and re-armed its timer before the clock moves on (as it would in real time).
        var counselor = s.Counselor;
        for (var day = 0; day < 15; day++)
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            counselor = await app.SignInAgainAsync(s.Counselor);
            await app.GetJsonAsync<TriageQueueDto>("/api/triage", counselor.Token);
        }

        var entry = Assert.Single((await app.GetJsonAsync<TriageQueueDto>("/api/triage", counselor.Token)).Entries);
        Assert.Equal(s.Client.Id, entry.ClientId);
        var falling = Assert.Single(entry.Reasons, r => r.Code == "ENGAGEMENT_FALLING");
        Assert.Equal(150, falling.Weight);
        Assert.StartsWith("client messages per week 0, 6, 0, 0", falling.Data, StringComparison.Ordinal);
        var silent = Assert.Single(entry.Reasons, r => r.Code == "NO_RECENT_CONTACT");
        Assert.Equal("No contact for 15 days.", silent.Text);
        Assert.Equal(32, silent.Weight);
    }
}

using System.Diagnostics;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>Risk detection on client and family messages, over real hub connections, in English, Japanese and Dutch.</summary>
public sealed class RiskAlertTests(SharedServer server, ITestOutputHelper output) : IClassFixture<SharedServer>
{
    private TestServerApp App => server.App;

    public static TheoryData<string, string[], string> RiskPhrases => new()
    {
        { "en", ["Honestly, I want to die.", "I've been thinking about killing myself lately", "I have been saving up pills in a drawer"], "want to die" },
        { "ja", ["もう死にたい", "首を吊ろうかと考えた", "リスカがやめられない"], "死にたい" },
        { "nl", ["Ik wil dood", "ik denk steeds aan zelfmoord", "ik heb pillen gespaard"], "wil dood" },
    };

    [Theory]
    [MemberData(nameof(RiskPhrases))]
    public async Task A_risk_phrase_from_a_device_is_pushed_to_the_counselor_and_supervisors_within_a_second(string language, string[] phrases, string firstEvidence)
    {
        var s = await Scenario.CreateAsync(App, language);
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        var otherCounselor = await App.CreateStaffAsync(Roles.Counselor);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        await using var counselorHub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var supervisorHub = await App.ConnectAsync(HubPaths.Counselor, supervisor.Token);
        await using var otherHub = await App.ConnectAsync(HubPaths.Counselor, otherCounselor.Token);
        await using var adminHub = await App.ConnectAsync(HubPaths.Counselor, admin.Token);
        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await counselorHub.JoinAsync(s.Session.Id);
        await device.JoinAsync(s.Session.Id);

        var latencies = new List<double>();
        foreach (var phrase in phrases)
        {
            var started = Stopwatch.GetTimestamp();
            var ack = await device.SendTextAsync(s.Session.Id, phrase);
            var received = await counselorHub.WaitForRiskAlertAsync(a => a.SessionId == s.Session.Id && a.Seq == ack.Seq);
            latencies.Add(Stopwatch.GetElapsedTime(started, received.Timestamp).TotalMilliseconds);

            var alert = received.Value;
            Assert.Equal(s.Client.Id, alert.ClientId);
            Assert.Equal(s.Client.Alias, alert.ClientAlias);
            Assert.Equal(RiskAlertStatuses.Open, alert.Status);
            Assert.Equal(language, alert.Language);
            Assert.NotEmpty(alert.Evidence);
            Assert.All(alert.Evidence, e => Assert.Contains(e, phrase, StringComparison.Ordinal));
            Assert.Contains("risk lexicons", alert.Source, StringComparison.Ordinal);
            Assert.Equal("Decision support, not a diagnosis", alert.Label);

            // Supervisors get it too; the message itself reached the counselor unchanged.
            await supervisorHub.WaitForRiskAlertAsync(a => a.AlertId == alert.AlertId);
            var relayed = await counselorHub.WaitForEventAsync(e => e.Seq == ack.Seq);
            Assert.Equal(phrase, relayed.Body.GetProperty("text").GetString());
        }

        var first = counselorHub.RiskAlerts[0].Value;
        Assert.Contains(firstEvidence, first.Evidence);
        Assert.Equal("suicide", first.Category);

        // Not for a counselor of other clients, nor for an admin. The other counselor's sentinel: an alert of their own
        // client, raised after these and fanned out the same way, so a push of this client's alerts would come first.
        // An admin gets no push at all: its sentinel is a round trip on its connection, which every push the same fan-out
        // wrote to it would precede.
        var others = await Scenario.CreateAsync(App, language, counselor: otherCounselor);
        await using (var othersDevice = await App.ConnectAsync(HubPaths.Avatar, others.Device.AccessToken))
        {
            await othersDevice.JoinAsync(others.Session.Id);
            var sentinel = await othersDevice.SendTextAsync(others.Session.Id, phrases[0]);
            await otherHub.WaitForRiskAlertAsync(a => a.SessionId == others.Session.Id && a.Seq == sentinel.Seq);
        }

        await adminHub.RoundTripAsync();
        Assert.Equal([others.Client.Id], otherHub.RiskAlerts.Select(a => a.Value.ClientId));
        Assert.Empty(adminHub.RiskAlerts);

        // Listed as open for the counselor and supervisor, not for the other counselor.
        var open = await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts?status=open", s.Counselor.Token);
        Assert.Equal(phrases.Length, open.Count(a => a.ClientId == s.Client.Id));
        Assert.Equal(phrases.Length, (await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", supervisor.Token)).Count(a => a.ClientId == s.Client.Id));
        Assert.DoesNotContain(await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", otherCounselor.Token), a => a.ClientId == s.Client.Id);

        latencies.Sort();
        output.WriteLine($"RiskAlert latency ({language}, device Send to counselor push), ms: {string.Join(", ", latencies.Select(l => l.ToString("F1")))}");
        Assert.True(latencies[latencies.Count / 2] < 1000, $"median alert latency {latencies[latencies.Count / 2]:F0} ms is over 1 s");
        Assert.True(latencies[^1] < 3000, $"slowest alert latency {latencies[^1]:F0} ms is over the generous bound of 3 s");
    }

    public static TheoryData<string, string, string, string, string> GradedMessages => new()
    {
        { "en", "I have been saving up pills in a drawer", RiskAlertLevels.Behaviour, "en.means-acquired", "planOrMeans" },
        { "ja", "もう死にたい", RiskAlertLevels.WishToBeDead, "ja.wish-not-alive", "suicide" },
        { "nl", "ik denk steeds aan zelfmoord", RiskAlertLevels.ActiveIdeation, "nl.suicidal-thoughts", "suicide" },
        // Two hits: the level is the highest step shown (Q6 over Q1), with the pattern that showed it.
        { "en", "I want to die and I have been saving up pills", RiskAlertLevels.Behaviour, "en.means-acquired", "planOrMeans" },
    };

    [Theory]
    [MemberData(nameof(GradedMessages))]
    public async Task The_pushed_and_stored_alert_carries_the_level_and_the_pattern_that_fired(string language, string message, string level, string pattern, string category)
    {
        var s = await Scenario.CreateAsync(App, language);
        await using var counselorHub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await device.JoinAsync(s.Session.Id);

        var ack = await device.SendTextAsync(s.Session.Id, message);
        var pushed = (await counselorHub.WaitForRiskAlertAsync(a => a.SessionId == s.Session.Id && a.Seq == ack.Seq)).Value;
        Assert.Equal(level, pushed.Level);
        Assert.Equal(pattern, pushed.Pattern);
        Assert.Equal(category, pushed.Category);
        Assert.Equal("Decision support, not a diagnosis", pushed.Label);

        // Read back from the store, as a console opened later lists it.
        var stored = Assert.Single(await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts?status=open", s.Counselor.Token), a => a.AlertId == pushed.AlertId);
        Assert.Equal((level, pattern), (stored.Level, stored.Pattern));
    }

    private static readonly Dictionary<string, string> Sentinels = new()
    {
        ["en"] = "I want to die",
        ["ja"] = "もう死にたい",
        ["nl"] = "Ik wil dood",
    };

    public static TheoryData<string, string[]> NegatedAndNeutral => new()
    {
        { "en", ["I would never hurt myself", "I don't want to die", "Suicide is not an option for me", "I played games all night and slept until noon", "That exam really killed me"] },
        { "ja", ["自殺なんてしない", "死にたいとは思わない", "死にたくない", "今日は天気がいいですね", "死ぬほど笑った"] },
        { "nl", ["ik zou mezelf nooit iets aandoen", "ik denk niet aan zelfmoord", "zelfmoord is geen optie voor mij", "Ik ben doodmoe na het gamen", "Ik hang de was op"] },
    };

    [Theory]
    [MemberData(nameof(NegatedAndNeutral))]
    public async Task Negated_and_neutral_messages_raise_no_alert(string language, string[] messages)
    {
        var s = await Scenario.CreateAsync(App, language);
        await using var counselorHub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await device.JoinAsync(s.Session.Id);
        foreach (var message in messages)
        {
            await device.SendTextAsync(s.Session.Id, message);
        }

        // A real risk phrase after them: once its alert is here, any alert for the earlier messages would be too.
        var sentinel = await device.SendTextAsync(s.Session.Id, Sentinels[language]);
        await counselorHub.WaitForRiskAlertAsync(a => a.Seq == sentinel.Seq);
        Assert.Equal([sentinel.Seq], counselorHub.RiskAlerts.Where(a => a.Value.ClientId == s.Client.Id).Select(a => a.Value.Seq));

        var history = await App.GetJsonAsync<List<RiskAlertRecord>>($"/api/clients/{s.Client.Id}/alerts", s.Counselor.Token);
        Assert.Equal([sentinel.Seq], history.Select(h => h.Alert.Seq));
    }

    [Fact]
    public async Task Counselor_messages_are_not_scanned()
    {
        var s = await Scenario.CreateAsync(App);
        await using var counselorHub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await counselorHub.JoinAsync(s.Session.Id);
        await device.JoinAsync(s.Session.Id);
        await counselorHub.SendTextAsync(s.Session.Id, "Have you had thoughts of suicide, or that you want to die?");
        var sentinel = await device.SendTextAsync(s.Session.Id, "Sometimes I cut myself when it gets bad");
        var alert = await counselorHub.WaitForRiskAlertAsync(a => a.Seq == sentinel.Seq);
        Assert.Equal("selfHarm", alert.Value.Category);
        Assert.Single(counselorHub.RiskAlerts, a => a.Value.ClientId == s.Client.Id);
    }

    [Fact]
    public async Task A_family_device_in_a_family_session_is_scanned_too()
    {
        var s = await Scenario.CreateAsync(App, "nl", familyOnly: true);
        Assert.Equal(DeviceKinds.Family, s.Device.Kind);
        await using var counselorHub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var family = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        var joined = await family.JoinAsync(s.Session.Id);
        Assert.Equal(s.Client.Id, joined.ClientId);

        var ack = await family.SendTextAsync(s.Session.Id, "Mijn zoon zei gisteren: ik wil niet meer leven");
        var alert = (await counselorHub.WaitForRiskAlertAsync(a => a.Seq == ack.Seq)).Value;
        Assert.Equal(s.Client.Id, alert.ClientId);
        Assert.Equal(s.Session.Id, alert.SessionId);
        Assert.Equal("nl", alert.Language);

        // Family messages are not the client's own engagement.
        var timeline = await App.GetJsonAsync<System.Text.Json.JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(0, timeline.GetProperty("summary").GetProperty("sessionsAttended").GetInt32());
        Assert.All(timeline.GetProperty("activityByHour").EnumerateArray(), h => Assert.Equal(0, h.GetInt32()));
    }

    [Fact]
    public async Task A_risk_message_stored_just_before_a_crash_raises_its_alert_when_the_session_comes_back()
    {
        await using var app = new TestServerApp().Start();
        var s = await Scenario.CreateAsync(app);
        SenderDto deviceSender;
        long helloSeq;
        await using (var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken))
        {
            await device.JoinAsync(s.Session.Id);
            helloSeq = (await device.SendTextAsync(s.Session.Id, "Hello.")).Seq;
            deviceSender = (await device.JoinAsync(s.Session.Id, afterSeq: helloSeq - 1)).Events.Single(e => e.Seq == helloSeq).Sender;
        }

        // As if the process had died between the message's append and risk detection: stored, never scanned, never
        // acknowledged. After the restart nothing has brought the session back yet; this is the log as it was left.
        await app.RestartAsync();
        const string ClientMsgId = "sent-before-the-crash";
        var log = app.Services.GetRequiredService<ISessionEventStore>();
        var seq = await log.GetLastSeqAsync(s.Session.Id) + 1;
        var body = JsonSerializer.SerializeToElement(new { text = "I want to die" }, TestServerApp.Json);
        var stored = await log.AppendAsync(new StoredSessionEvent(s.Session.Id, seq, app.Clock.GetUtcNow(), deviceSender, EventKinds.Text, body, ClientMsgId));
        Assert.IsType<AppendOutcome.Appended>(stored);

        await using var counselorHub = await app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await counselorHub.ReadyAsync();

        // The counselor opens the session: it comes back, and its last event goes to risk detection again.
        await app.GetJsonAsync<SessionDto>($"/api/sessions/{s.Session.Id}", s.Counselor.Token);
        var alert = (await counselorHub.WaitForRiskAlertAsync(a => a.SessionId == s.Session.Id && a.Seq == seq)).Value;
        Assert.Equal("suicide", alert.Category);

        // Each time the session comes back its last event is scanned again; the alert stays one.
        await app.RestartAsync();
        await app.GetJsonAsync<SessionDto>($"/api/sessions/{s.Session.Id}", s.Counselor.Token);
        await using (var device = await app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken))
        {
            // The device reconnects and resends what it never had an answer for: a duplicate of what is stored.
            await device.JoinAsync(s.Session.Id, afterSeq: seq);
            var resent = await device.Connection.InvokeAsync<SendAck>(HubMethods.Send, s.Session.Id, new SendRequest(ClientMsgId, EventKinds.Text, body));
            Assert.Equal((seq, true), (resent.Seq, resent.Duplicate));
        }

        var open = await app.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", s.Counselor.Token);
        Assert.Equal(alert.AlertId, Assert.Single(open, a => a.SessionId == s.Session.Id).AlertId);
    }

    [Fact]
    public async Task Message_bodies_never_reach_the_logs()
    {
        var s = await Scenario.CreateAsync(App);
        await using var counselorHub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await using var device = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await device.JoinAsync(s.Session.Id);
        const string marker = "quokka7719";
        var ack = await device.SendTextAsync(s.Session.Id, $"I want to die, {marker}");
        var alert = (await counselorHub.WaitForRiskAlertAsync(a => a.Seq == ack.Seq)).Value;
        await counselorHub.AcknowledgeAsync(alert.AlertId, $"Called the client, {marker}");

        Assert.Contains(App.Logs.Lines, l => l.Contains(alert.AlertId, StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains(marker, StringComparison.Ordinal) || l.Contains("want to die", StringComparison.OrdinalIgnoreCase));
    }
}

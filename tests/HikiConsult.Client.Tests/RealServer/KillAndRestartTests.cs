using System.Net.Http.Json;
using System.Text.Json;
using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;
using static HikiConsult.Client.Tests.RealServer.EventAssertions;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>
/// The server process is killed without warning (SIGKILL of the whole process tree) in the middle of a session
/// and started again on the same data: nothing that was acknowledged may be lost or doubled, seq goes on without
/// gaps, clients resume by themselves, and a resend of an acknowledged message is recognised as a duplicate.
/// </summary>
public sealed class KillAndRestartTests : RestartedServerTests
{
    [Fact]
    public async Task Every_acknowledged_event_survives_a_kill_exactly_once_and_clients_resume_by_themselves()
    {
        var clinic = await Clinic.SetUpAsync(Server.BaseAddress);
        await using var counselor = new SessionConnection(new Uri(Server.BaseAddress, HubPaths.Counselor), clinic.CounselorOptions());
        await using var device = new SessionConnection(new Uri(Server.BaseAddress, HubPaths.Avatar), clinic.DeviceOptions());
        await counselor.StartAsync();
        await counselor.JoinAsync(clinic.Session.Id);
        await device.StartAsync();
        await device.JoinAsync(clinic.Session.Id);
        var counselorEvents = new EventCollector(counselor);
        var deviceEvents = new EventCollector(device);

        // Acknowledged before the crash, from both sides.
        var acked = new List<(SendRequest Request, SendAck Ack)>();
        for (var i = 1; i <= 10; i++)
        {
            var sender = i % 2 == 1 ? counselor : device;
            var request = TextRequest($"before the crash {i}");
            acked.Add((request, await sender.SendAsync(request)));
        }

        var killedPid = Server.ProcessId;
        Server.Kill();
        Assert.True(Server.HasExited);

        // Sent while the server is down: it waits, then goes out once the server is back.
        var duringOutage = TextRequest("sent during the outage");
        var pending = counselor.SendAsync(duringOutage);

        Server = await StartServerAsync();
        Assert.NotEqual(killedPid, Server.ProcessId);
        var pendingAck = await pending.WaitAsync(Generous);

        // Resends of acknowledged messages are recognised, whichever side sends them.
        var counselorResend = await counselor.SendAsync(acked[0].Request).WaitAsync(Generous);
        var deviceResend = await device.SendAsync(acked[1].Request).WaitAsync(Generous);
        var final = await device.SendAsync(TextRequest("after the restart")).WaitAsync(Generous);
        await counselorEvents.WaitForTextAsync("after the restart");
        await deviceEvents.WaitForTextAsync("after the restart");

        var stored = await clinic.StoredEventsAsync();

        // Stored: seq 1..n without gaps, every acknowledged message exactly once with its seq.
        AssertContiguous(stored, 1);
        foreach (var (request, ack) in acked.Append((duringOutage, pendingAck)))
        {
            var text = request.Body.GetProperty("text").GetString();
            var copies = stored.Where(e => Text(e) == text).ToList();
            Assert.Single(copies);
            Assert.Equal(ack.Seq, copies[0].Seq);
        }

        Assert.True(pendingAck.Seq > acked.Max(a => a.Ack.Seq));
        Assert.True(counselorResend.Duplicate);
        Assert.Equal(acked[0].Ack.Seq, counselorResend.Seq);
        Assert.True(deviceResend.Duplicate);
        Assert.Equal(acked[1].Ack.Seq, deviceResend.Seq);
        Assert.False(final.Duplicate);

        // Each client's stream is exactly the stored log: resumed after the restart, nothing missed or doubled.
        var upToFinal = stored.Where(e => e.Seq <= final.Seq).ToList();
        AssertSameEvents(upToFinal, counselorEvents.Snapshot().Where(e => e.Seq <= final.Seq).ToList());
        AssertSameEvents(upToFinal, deviceEvents.Snapshot().Where(e => e.Seq <= final.Seq).ToList());
        Assert.True(counselor.Reconnects >= 1);
        Assert.True(device.Reconnects >= 1);
    }

    [Fact]
    public async Task Message_counts_written_behind_survive_a_kill()
    {
        var clinic = await Clinic.SetUpAsync(Server.BaseAddress);
        await using (var counselor = await clinic.JoinAsync(Server.BaseAddress, asCounselor: true))
        await using (var device = await clinic.JoinAsync(Server.BaseAddress, asCounselor: false))
        {
            for (var i = 1; i <= 4; i++)
            {
                await counselor.SendAsync(TextRequest($"question {i}"));
                await device.SendAsync(TextRequest($"answer {i}"));
            }

            // Counted at once, written behind (the write delay is far longer than this test).
            Assert.Equal(4, ClientMessages(await TimelineAsync(clinic)));
            Server.Kill();
        }

        Server = await StartServerAsync();

        // The next activation of the client's analytics reads the session's log on from its last write.
        var timeline = await TimelineAsync(clinic);
        Assert.Equal(4, ClientMessages(timeline));
        Assert.Equal(1, timeline.GetProperty("summary").GetProperty("sessionsAttended").GetInt32());
        Assert.Equal(4, timeline.GetProperty("summary").GetProperty("messagesPerSession").GetDouble());

        // And counts each message once from there on.
        await using var again = new SessionConnection(new Uri(Server.BaseAddress, HubPaths.Avatar), clinic.DeviceOptions());
        await again.StartAsync();
        await again.JoinAsync(clinic.Session.Id);
        await again.SendAsync(TextRequest("answer 5"));
        Assert.Equal(5, ClientMessages(await TimelineAsync(clinic)));
    }

    private static async Task<JsonElement> TimelineAsync(Clinic clinic)
    {
        using var http = new HttpClient { BaseAddress = clinic.Counselor.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", clinic.Counselor.AccessToken);
        return await http.GetFromJsonAsync<JsonElement>($"/api/clients/{clinic.Session.ClientId}/timeline");
    }

    private static int ClientMessages(JsonElement timeline) =>
        timeline.GetProperty("engagementByWeek").EnumerateArray().Sum(w => w.GetProperty("clientMessages").GetInt32());

    private static SendRequest TextRequest(string text) =>
        new(SessionConnection.NewClientMsgId(), EventKinds.Text, JsonSerializer.SerializeToElement(new { text }));
}

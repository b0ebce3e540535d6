using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;
using static HikiConsult.Client.Tests.RealServer.EventAssertions;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>A device loses its network (the server keeps running); on return it resumes exactly where it was.</summary>
public sealed class NetworkCutResumeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task After_a_network_cut_the_device_gets_exactly_the_missed_events_and_its_waiting_message_is_stored_once()
    {
        var clinic = await Clinic.SetUpAsync(fixture.BaseAddress);
        await using var proxy = new LoopbackTcpProxy(fixture.BaseAddress.Port);
        await using var counselor = new SessionConnection(new Uri(fixture.BaseAddress, HubPaths.Counselor), clinic.CounselorOptions());
        await using var device = new SessionConnection(new Uri(proxy.BaseAddress, HubPaths.Avatar), clinic.DeviceOptions());
        await counselor.StartAsync();
        await counselor.JoinAsync(clinic.Session.Id);
        await device.StartAsync();
        await device.JoinAsync(clinic.Session.Id);
        var deviceEvents = new EventCollector(device);

        await counselor.SendTextAsync("before the cut");
        await deviceEvents.WaitForTextAsync("before the cut");

        proxy.Cut();
        var missed = new List<SendAck>();
        for (var i = 1; i <= 5; i++)
        {
            missed.Add(await counselor.SendTextAsync($"missed {i}"));
        }

        var waiting = device.SendTextAsync("typed while offline");
        Assert.False(waiting.IsCompleted);

        proxy.Restore();
        var waitingAck = await waiting.WaitAsync(Generous);
        await counselor.SendTextAsync("after the cut");
        await deviceEvents.WaitForTextAsync("after the cut");

        var deviceStream = deviceEvents.Snapshot();
        var stored = (await clinic.StoredEventsAsync()).Where(e => e.Seq <= deviceStream[^1].Seq).ToList();

        // The device's stream is the stored log: every seq once, in order, nothing missing.
        AssertContiguous(deviceStream, 1);
        AssertSameEvents(stored, deviceStream);
        Assert.Equal(
            ["before the cut", "missed 1", "missed 2", "missed 3", "missed 4", "missed 5", "typed while offline", "after the cut"],
            deviceStream.Select(Text).OfType<string>());
        Assert.All(missed, ack => Assert.Contains(deviceStream, e => e.Seq == ack.Seq));
        Assert.False(waitingAck.Duplicate);
        Assert.Single(stored, e => Text(e) == "typed while offline");
        Assert.True(device.Reconnects >= 1);
        Assert.Equal(0, device.SeqsSkipped);
    }
}

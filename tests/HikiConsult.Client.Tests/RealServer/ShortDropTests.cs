using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;
using static HikiConsult.Client.Tests.RealServer.EventAssertions;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>
/// A device's socket drops and the network is back at once: stateful reconnect keeps the same server connection,
/// so nothing is resumed, and a message sent across the drop is stored once.
/// </summary>
public sealed class ShortDropTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_short_drop_is_bridged_without_a_resume_and_the_message_sent_across_it_is_stored_once()
    {
        var clinic = await Clinic.SetUpAsync(fixture.BaseAddress);
        await using var proxy = new LoopbackTcpProxy(fixture.BaseAddress.Port);
        await using var counselor = await clinic.JoinAsync(fixture.BaseAddress, asCounselor: true);
        await using var device = await clinic.JoinAsync(proxy.BaseAddress, asCounselor: false);
        var deviceEvents = new EventCollector(device);
        await counselor.SendTextAsync("before the drop");
        await deviceEvents.WaitForTextAsync("before the drop");
        var accepted = proxy.Accepted;

        proxy.Cut();
        proxy.Restore();
        var ack = await device.SendTextAsync("sent across the drop").WaitAsync(Generous);
        await counselor.SendTextAsync("after the drop");
        await deviceEvents.WaitForTextAsync("after the drop");

        var deviceStream = deviceEvents.Snapshot();
        var stored = (await clinic.StoredEventsAsync()).Where(e => e.Seq <= deviceStream[^1].Seq).ToList();
        Assert.True(proxy.Accepted > accepted, "the socket was not re-opened, so the drop was not exercised");
        Assert.Equal(0, device.Reconnects);
        Assert.Equal(SessionConnectionStatus.Ready, device.Status);
        Assert.False(ack.Duplicate);
        Assert.Single(stored, e => Text(e) == "sent across the drop");
        AssertContiguous(deviceStream, 1);
        AssertSameEvents(stored, deviceStream);
    }
}

using HikiConsult.Client.Sessions;
using HikiConsult.Client.Transport;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Time.Testing;

namespace HikiConsult.Client.Tests.Sessions;

/// <summary>Resume, dedupe and idempotent resend of <see cref="SessionConnection"/> against a hub with the contract's semantics.</summary>
public sealed class SessionConnectionTests : IAsyncLifetime
{
    private const string SessionId = "session-1";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private InMemorySessionHost _host = null!;
    private readonly List<SessionConnection> _connections = [];

    public async Task InitializeAsync() => _host = await InMemorySessionHost.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Join_delivers_the_history_then_live_events_in_order()
    {
        var counselor = await ConnectAsync("counselor");
        await counselor.SendTextAsync("one");
        await counselor.SendTextAsync("two");

        var device = await ConnectAsync("device");
        await counselor.SendTextAsync("three");

        var seen = await ReadAsync(device, 3);
        Assert.Equal([1L, 2L, 3L], seen.Select(e => e.Seq));
        Assert.Equal(["one", "two", "three"], seen.Select(Text));
        Assert.Equal(3, device.LastSeq);
    }

    [Fact]
    public async Task After_an_outage_exactly_the_missed_events_arrive_and_a_waiting_send_goes_out_once()
    {
        var counselor = await ConnectAsync("counselor");
        var device = await ConnectAsync("device");
        await counselor.SendTextAsync("before");
        Assert.Equal(["before"], (await ReadAsync(device, 1)).Select(Text));

        _host.Store.Unavailable = true;
        _host.Store.AbortConnectionsOf("device");
        await WaitUntilAsync(() => device.Status == SessionConnectionStatus.Reconnecting);

        for (var i = 1; i <= 5; i++)
        {
            await counselor.SendTextAsync($"missed {i}");
        }

        var waitingSend = device.SendTextAsync("from the device while offline");
        Assert.False(waitingSend.IsCompleted);

        _host.Store.Unavailable = false;
        var ack = await waitingSend.WaitAsync(Generous);
        await counselor.SendTextAsync("after");

        var resumed = await ReadAsync(device, 7);
        Assert.Equal(Enumerable.Range(2, 7).Select(s => (long)s), resumed.Select(e => e.Seq));
        Assert.Equal(["missed 1", "missed 2", "missed 3", "missed 4", "missed 5", "from the device while offline", "after"], resumed.Select(Text));
        Assert.Equal(7, ack.Seq);
        Assert.False(ack.Duplicate);
        Assert.Single(_host.Store.Log(SessionId).Snapshot(), e => Text(e) == "from the device while offline");
        Assert.Equal(1, device.Reconnects);
        Assert.Equal([0L, 1L], _host.Store.JoinRequests.Where(j => j.Who == "device").Select(j => j.AfterSeq));
        Assert.Equal(0, device.SeqsSkipped);
        Assert.False(device.Events.TryRead(out _));
    }

    [Fact]
    public async Task A_send_whose_ack_was_lost_is_repeated_with_its_id_and_stored_once()
    {
        var counselor = await ConnectAsync("counselor");
        var device = await ConnectAsync("device");

        _host.Store.DropNextAck();
        var ack = await counselor.SendTextAsync("stored before the drop").WaitAsync(Generous);
        await counselor.SendTextAsync("next");

        Assert.True(ack.Duplicate);
        Assert.Equal(1, ack.Seq);
        Assert.Equal(["stored before the drop", "next"], _host.Store.Log(SessionId).Snapshot().Select(Text));
        Assert.Equal(["stored before the drop", "next"], (await ReadAsync(device, 2)).Select(Text));
        Assert.Equal(["stored before the drop", "next"], (await ReadAsync(counselor, 2)).Select(Text));
        Assert.Equal(1, counselor.Reconnects);
    }

    [Fact]
    public async Task A_gap_in_the_live_stream_is_repaired_by_a_resume_once_the_repair_delay_has_passed()
    {
        var counselor = await ConnectAsync("counselor");
        var clock = new ArmedClock();
        var device = await ConnectAsync("device", clock: clock);

        _host.Store.SkipNextPush();
        await counselor.SendTextAsync("never pushed");
        await counselor.SendTextAsync("pushed");
        await clock.Armed.Task.WaitAsync(Generous);

        // The repair is armed and its delay has not passed: "pushed" waits behind the gap.
        Assert.False(device.Events.TryRead(out _));
        Assert.Equal([0L], _host.Store.JoinRequests.Where(j => j.Who == "device").Select(j => j.AfterSeq));

        clock.Advance(TimeSpan.FromSeconds(2));
        var seen = await ReadAsync(device, 2);

        Assert.Equal(["never pushed", "pushed"], seen.Select(Text));
        Assert.Equal([0L, 0L], _host.Store.JoinRequests.Where(j => j.Who == "device").Select(j => j.AfterSeq));
        Assert.Equal(0, device.Reconnects);
    }

    [Fact]
    public async Task Own_events_reach_the_stream_even_if_the_server_does_not_echo_them()
    {
        _host.Store.EchoToSender = false;
        var counselor = await ConnectAsync("counselor", self: new SenderDto("counselor", Roles.Counselor, "Counselor"));
        var device = await ConnectAsync("device");

        await counselor.SendTextAsync("mine");
        await device.SendTextAsync("theirs");
        await counselor.SendTextAsync("mine again");

        var seen = await ReadAsync(counselor, 3);
        Assert.Equal(["mine", "theirs", "mine again"], seen.Select(Text));
        Assert.Equal(Roles.Counselor, seen[0].Sender.Role);
        Assert.Equal("device", seen[1].Sender.Id);
    }

    [Fact]
    public async Task A_refused_send_is_thrown_at_once_not_repeated_and_the_connection_keeps_working()
    {
        var counselor = await ConnectAsync("counselor");

        var refusal = await Assert.ThrowsAsync<HubException>(() => counselor.SendTextAsync(""));
        var ack = await counselor.SendTextAsync("fine");

        Assert.Contains("must not be empty", refusal.Message);
        Assert.Equal(1, ack.Seq);
        Assert.Equal(SessionConnectionStatus.Ready, counselor.Status);
        Assert.Equal(0, counselor.Reconnects);
    }

    [Fact]
    public async Task Revoked_credentials_stop_reconnecting_and_close_the_stream_with_the_reason()
    {
        var device = await ConnectAsync("device", token: "device-token");

        _host.Store.RevokedTokens["device-token"] = true;
        _host.Store.AbortConnectionsOf("device");

        var error = await Assert.ThrowsAsync<HubConnectRefusedException>(async () =>
        {
            await foreach (var _ in device.ReadEventsAsync().WithCancellation(new CancellationTokenSource(Generous).Token))
            {
            }
        });
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(SessionConnectionStatus.Closed, device.Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => device.SendTextAsync("too late"));
    }

    private async Task<SessionConnection> ConnectAsync(string who, string token = "token", SenderDto? self = null, TimeProvider? clock = null)
    {
        var connection = new SessionConnection(_host.HubUrlFor(who), new SessionConnectionOptions
        {
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            Backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
            Self = self,
            GapRepairDelay = TimeSpan.FromSeconds(2),
            TimeProvider = clock ?? TimeProvider.System,
        });
        _connections.Add(connection);
        await connection.StartAsync().WaitAsync(Generous);
        await connection.JoinAsync(SessionId).WaitAsync(Generous);
        return connection;
    }

    private static async Task<List<SessionEventDto>> ReadAsync(SessionConnection connection, int count)
    {
        using var timeout = new CancellationTokenSource(Generous);
        var events = new List<SessionEventDto>();
        while (events.Count < count)
        {
            events.Add(await connection.Events.ReadAsync(timeout.Token));
        }

        return events;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Generous);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static string Text(SessionEventDto e) => e.Body.GetProperty("text").GetString()!;

    /// <summary>A fake clock that says when the connection first arms a timer on it (here: the gap repair's delay).</summary>
    private sealed class ArmedClock : FakeTimeProvider
    {
        public TaskCompletionSource Armed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Armed.TrySetResult();
            return timer;
        }
    }
}

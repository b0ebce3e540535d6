using System.Text.Json;
using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;

namespace HikiConsult.Client.Tests.Cluster;

/// <summary>A client with a paired device and a session, set up by one signed-in counselor, and the device's sends.</summary>
internal sealed class ClusterSession(SessionDto session, PairDeviceResponse pairing, HikiConsultApi device)
{
    public SessionDto Session { get; } = session;

    public PairDeviceResponse Pairing { get; } = pairing;

    public HikiConsultApi Device { get; } = device;

    /// <summary>Every acknowledged send of the device, with when its ack arrived.</summary>
    public List<(string Text, SendAck Ack, DateTimeOffset AckedAt)> Acked { get; } = [];

    public static async Task<ClusterSession> CreateAsync(HikiConsultApi counselor, Uri server)
    {
        var client = await counselor.CreateClientAsync($"Cluster client {Guid.NewGuid().ToString("N")[..6]}", "en");
        var code = await counselor.CreatePairingCodeAsync(client.Id, DeviceKinds.Avatar);
        var device = new HikiConsultApi(new HttpClient { BaseAddress = server });
        var pairing = await device.PairDeviceAsync(code.Code, "Cluster device");
        var session = await counselor.CreateSessionAsync(client.Id);
        return new ClusterSession(session, pairing, device);
    }

    /// <summary>The device's connection to <paramref name="server"/>'s avatar hub, joined to the session.</summary>
    public async Task<SessionConnection> ConnectDeviceAsync(Uri server)
    {
        var connection = new SessionConnection(new Uri(server, HubPaths.Avatar), new SessionConnectionOptions
        {
            AccessTokenProvider = _ => ValueTask.FromResult(Device.AccessToken),
            Self = new SenderDto(Pairing.DeviceId, Roles.Client, "Cluster device"),
            Backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500)),
        });
        await connection.StartAsync();
        await connection.JoinAsync(Session.Id);
        return connection;
    }

    /// <summary>Sends texts until <paramref name="stop"/>, every <paramref name="pause"/>; each send completes (acknowledged) before the next.</summary>
    public async Task SendUntilAsync(SessionConnection connection, TimeSpan pause, CancellationToken stop)
    {
        for (var i = 1; !stop.IsCancellationRequested; i++)
        {
            var text = $"{Session.Id} message {i}";
            var ack = await connection.SendAsync(new SendRequest(
                SessionConnection.NewClientMsgId(), EventKinds.Text, JsonSerializer.SerializeToElement(new { text })));
            lock (Acked)
            {
                Acked.Add((text, ack, DateTimeOffset.UtcNow));
            }

            try
            {
                // Pacing of the load, not a wait for a signal.
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>When the first send acknowledged after <paramref name="at"/> was acknowledged, if any.</summary>
    public DateTimeOffset? FirstAckAfter(DateTimeOffset at)
    {
        lock (Acked)
        {
            return Acked.Where(a => a.AckedAt > at).Select(a => (DateTimeOffset?)a.AckedAt).FirstOrDefault();
        }
    }

    /// <summary>The stored log holds seq 1..n without gaps and every acknowledged text once, at its acknowledged seq.</summary>
    public async Task AssertNothingLostOrDoubledAsync(HikiConsultApi reader)
    {
        var stored = new List<SessionEventDto>();
        await foreach (var e in reader.GetAllEventsAsync(Session.Id))
        {
            stored.Add(e);
        }

        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(e => e.Seq));
        var texts = stored.Where(e => e.Kind == EventKinds.Text).ToDictionary(e => e.Seq, e => e.Body.GetProperty("text").GetString());
        Assert.Equal(Acked.Count, texts.Count);
        foreach (var (text, ack, _) in Acked)
        {
            Assert.Equal(text, texts[ack.Seq]);
        }
    }
}

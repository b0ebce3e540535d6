using System.Diagnostics;
using HikiConsult.Client.Api;
using HikiConsult.Contracts;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Sets up sessions on the real server the way a clinic would, through the REST API: the demo counselor creates a
/// client, a pairing code, pairs an avatar device with it and creates a session, once per session.
/// </summary>
public static class Provisioner
{
    public const string Counselor = "demo.counselor";
    public const string Password = "demo-password";

    public static async Task<IReadOnlyList<SessionPair>> ProvisionAsync(Uri server, int sessions, int parallelism, TextWriter log, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallelism }) { BaseAddress = server };
        var staff = new HikiConsultApi(http);
        await staff.LoginAsync(Counselor, Password, cancellationToken);
        var counselorToken = staff.AccessToken!;

        var pairs = new SessionPair[sessions];
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, sessions),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var counselor = new HikiConsultApi(http, counselorToken);
                var client = await counselor.CreateClientAsync($"Load client {i + 1:0000}", "en", null, ct);
                var code = await counselor.CreatePairingCodeAsync(client.Id, DeviceKinds.Avatar, ct);
                var device = await new HikiConsultApi(http).PairDeviceAsync(code.Code, $"Load device {i + 1:0000}", ct);
                var session = await counselor.CreateSessionAsync(client.Id, null, false, ct);
                pairs[i] = new SessionPair(session.Id, counselorToken, device.AccessToken);
                if (Interlocked.Increment(ref done) % 250 == 0)
                {
                    await log.WriteLineAsync($"  provisioned {done}/{sessions} sessions ({clock.Elapsed.TotalSeconds:0.0} s)");
                }
            });
        return pairs;
    }
}

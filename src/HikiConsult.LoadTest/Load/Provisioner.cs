using System.Diagnostics;
using System.Net.Http.Json;
using HikiConsult.Client.Api;
using HikiConsult.Contracts;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Sets up sessions on the real server the way a clinic would, through the REST API: the admin creates counselor
/// accounts (a realistic caseload each, so no counselor has hundreds of open consoles), and each counselor creates
/// their clients, pairing codes, pairs an avatar device per client and creates a session per client.
/// </summary>
public static class Provisioner
{
    public const string Admin = "demo.admin";
    public const string DemoPassword = "demo-password";
    private const string CounselorPassword = "load-test-password";

    public static async Task<IReadOnlyList<SessionPair>> ProvisionAsync(
        Uri server, int sessions, int sessionsPerCounselor, int parallelism, TextWriter log, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallelism }) { BaseAddress = server };
        var admin = new HikiConsultApi(http);
        await admin.LoginAsync(Admin, DemoPassword, cancellationToken);

        var counselors = (sessions + sessionsPerCounselor - 1) / sessionsPerCounselor;
        var run = Guid.NewGuid().ToString("N")[..6];
        var tokens = new string[counselors];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, counselors),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (c, ct) =>
            {
                var username = $"load.{run}.{c + 1:0000}";
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users")
                {
                    Content = JsonContent.Create(new { username, displayName = $"Load counselor {c + 1}", role = Roles.Counselor, password = CounselorPassword }),
                };
                request.Headers.Authorization = new("Bearer", admin.AccessToken);
                using var created = await http.SendAsync(request, ct);
                created.EnsureSuccessStatusCode();
                var counselor = new HikiConsultApi(http);
                await counselor.LoginAsync(username, CounselorPassword, ct);
                tokens[c] = counselor.AccessToken!;
            });
        await log.WriteLineAsync($"  created {counselors} counselor accounts, {sessionsPerCounselor} sessions each");

        var pairs = new SessionPair[sessions];
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, sessions),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var counselorToken = tokens[i / sessionsPerCounselor];
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

using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using Xunit.Abstractions;

namespace HikiConsult.Client.Tests.Cluster;

/// <summary>
/// Nodes die (kill -9) or restart in turn while sessions are sending through HAProxy: every client reconnects through
/// HAProxy and resumes by seq, and no acknowledged message is lost or doubled.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeLossTests(LocalCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan SendPause = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Killing_the_node_with_the_most_sessions_loses_no_acknowledged_message_and_sessions_send_again_within_5_s()
    {
        const int sessionCount = 100;
        var counselor = new HikiConsultApi(new HttpClient { BaseAddress = cluster.Proxy });
        await counselor.LoginAsync("demo.counselor", "demo-password");
        var admin = await LocalCluster.AdminAsync(cluster.Proxy);
        var sessions = await CreateAsync(counselor, sessionCount);
        var connections = await Task.WhenAll(sessions.Select(s => s.ConnectDeviceAsync(cluster.Proxy)));
        var victim = 0;
        var victimBack = false;
        try
        {
            using var stop = new CancellationTokenSource();
            var senders = sessions.Select((s, i) => s.SendUntilAsync(connections[i], SendPause, stop.Token)).ToArray();
            await WaitForAcksAfterAsync(sessions, connections, DateTimeOffset.MinValue, TimeSpan.FromSeconds(60));

            var grains = new int[LocalCluster.NodeCount + 1];
            for (var n = 1; n <= LocalCluster.NodeCount; n++)
            {
                grains[n] = await LocalCluster.SessionGrainsOnAsync(n, admin.AccessToken!);
            }

            Assert.True(grains.Sum() >= sessionCount, $"session grains per node: {string.Join(", ", grains.Skip(1))}");
            victim = Array.IndexOf(grains, grains.Max());
            var killedAt = DateTimeOffset.UtcNow;
            await cluster.KillAsync(victim);

            // Every session sends again (acknowledged) after the kill; then the load stops and every send completes.
            await WaitForAcksAfterAsync(sessions, connections, killedAt, TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60));

            var latencies = sessions.Select(s => (s.FirstAckAfter(killedAt)!.Value - killedAt).TotalSeconds).Order().ToArray();
            output.WriteLine(
                $"killed node {victim} holding {grains[victim]} of {grains.Sum()} session grains; first ack after the kill, " +
                $"p50 {Percentile(latencies, 0.50):F2} s, p99 {Percentile(latencies, 0.99):F2} s, max {latencies[^1]:F2} s; " +
                $"{sessions.Sum(s => s.Acked.Count)} messages acknowledged");

            foreach (var session in sessions)
            {
                await session.AssertNothingLostOrDoubledAsync(counselor);
            }

            Assert.All(connections, c => Assert.Equal(SessionConnectionStatus.Ready, c.Status));
            Assert.True(Percentile(latencies, 0.99) <= 5.0, $"p99 {Percentile(latencies, 0.99):F2} s from the kill to a session's first ack");

            // The node comes back and takes new sessions again.
            await cluster.StartAsync(victim);
            victimBack = true;
            var later = await CreateAsync(counselor, 15);
            foreach (var session in later)
            {
                await using var connection = await session.ConnectDeviceAsync(cluster.Proxy);
                await connection.SendAsync("text", new { text = "after the node came back" });
            }

            Assert.True(await LocalCluster.SessionGrainsOnAsync(victim, admin.AccessToken!) > 0, $"node {victim} took no session after its restart");
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
            if (victim != 0 && !victimBack)
            {
                // The other tests share the cluster.
                await cluster.StartAsync(victim);
            }
        }
    }

    [Fact]
    public async Task A_rolling_restart_under_load_loses_nothing_and_no_client_sees_an_error()
    {
        var counselor = new HikiConsultApi(new HttpClient { BaseAddress = cluster.Proxy });
        await counselor.LoginAsync("demo.counselor", "demo-password");
        var sessions = await CreateAsync(counselor, 20);
        var connections = await Task.WhenAll(sessions.Select(s => s.ConnectDeviceAsync(cluster.Proxy)));
        try
        {
            using var stop = new CancellationTokenSource();
            var senders = sessions.Select((s, i) => s.SendUntilAsync(connections[i], SendPause, stop.Token)).ToArray();
            for (var n = 1; n <= LocalCluster.NodeCount; n++)
            {
                var before = DateTimeOffset.UtcNow;
                await cluster.StopAsync(n);
                await cluster.StartAsync(n);

                // Each node's turn ends when every session has sent again.
                await WaitForAcksAfterAsync(sessions, connections, before, TimeSpan.FromSeconds(60));
            }

            await stop.CancelAsync();

            // A send that failed would surface here as an exception: none may.
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60));
            foreach (var session in sessions)
            {
                await session.AssertNothingLostOrDoubledAsync(counselor);
            }

            Assert.All(connections, c => Assert.Equal(SessionConnectionStatus.Ready, c.Status));
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private async Task<ClusterSession[]> CreateAsync(HikiConsultApi counselor, int count)
    {
        using var gate = new SemaphoreSlim(8);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                return await ClusterSession.CreateAsync(counselor, cluster.Proxy);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Polls until every session has an ack after <paramref name="after"/>.</summary>
    private static async Task WaitForAcksAfterAsync(ClusterSession[] sessions, SessionConnection[] connections, DateTimeOffset after, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (sessions.Any(s => s.FirstAckAfter(after) is null))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline,
                $"{sessions.Count(s => s.FirstAckAfter(after) is null)} of {sessions.Length} sessions had no ack within {timeout.TotalSeconds} s: " +
                string.Join("; ", sessions.Select((s, i) => (s, c: connections[i])).Where(x => x.s.FirstAckAfter(after) is null)
                    .Select(x => $"{x.s.Session.Id} {x.c.Status}, {x.c.Reconnects} reconnects, {x.s.Acked.Count} acks")));
            await timer.WaitForNextTickAsync();
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

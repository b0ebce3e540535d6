using System.Net;
using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using HikiConsult.Client.Tests.RealServer;
using HikiConsult.Client.Transport;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using static HikiConsult.Client.Tests.RealServer.EventAssertions;

namespace HikiConsult.Client.Tests.Cluster;

/// <summary>One session across nodes, pushes that reach every node, and credentials that hold or fail on every node alike.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSessionTests(LocalCluster cluster)
{
    [Fact]
    public async Task A_counselor_on_one_node_and_a_device_on_another_hold_one_session()
    {
        var clinic = await Clinic.SetUpAsync(cluster.Proxy);
        await using var counselor = await clinic.JoinAsync(LocalCluster.Node(1), asCounselor: true);
        await using var device = await clinic.JoinAsync(LocalCluster.Node(2), asCounselor: false);
        var counselorEvents = new EventCollector(counselor);
        var deviceEvents = new EventCollector(device);

        var question = await counselor.SendAsync(EventKinds.Text, new { text = "how was the week?" });
        var answer = await device.SendAsync(EventKinds.Text, new { text = "quiet, I went outside once" });
        await deviceEvents.WaitForTextAsync("how was the week?");
        await counselorEvents.WaitForTextAsync("quiet, I went outside once");

        // One log, whichever node is asked.
        Assert.Equal(question.Seq + 1, answer.Seq);
        var stored = await clinic.StoredEventsAsync();
        AssertContiguous(stored, 1);
        var onNode3 = new HikiConsultApi(new HttpClient { BaseAddress = LocalCluster.Node(3) });
        await onNode3.LoginAsync("demo.counselor", "demo-password");
        var page = await onNode3.GetEventsAsync(clinic.Session.Id);
        Assert.Equal(stored.Select(e => e.Seq), page.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_risk_alert_raised_on_one_node_reaches_the_counselor_on_another()
    {
        var clinic = await Clinic.SetUpAsync(cluster.Proxy);
        await using var console = new HubConnectionBuilder()
            .WithHikiConsultUrl(LocalCluster.Node(3), HubPaths.Counselor, clinic.Counselor.AccessToken)
            .Build();
        var alert = new TaskCompletionSource<RiskAlertDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        console.On<RiskAlertDto>(EarlyConsultationHubMethods.RiskAlert, a =>
        {
            if (a.SessionId == clinic.Session.Id)
            {
                alert.TrySetResult(a);
            }
        });
        await console.StartAsync();

        await using var device = await clinic.JoinAsync(LocalCluster.Node(1), asCounselor: false);
        var ack = await device.SendAsync(EventKinds.Text, new { text = "I want to die" });

        var received = await alert.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((clinic.Session.ClientId, ack.Seq), (received.ClientId, received.Seq));
    }

    [Fact]
    public async Task A_revoked_device_is_refused_on_every_node()
    {
        var clinic = await Clinic.SetUpAsync(cluster.Proxy);
        await using var device = await clinic.JoinAsync(LocalCluster.Node(2), asCounselor: false);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.StatusChanged += status =>
        {
            if (status is SessionConnectionStatus.Reconnecting or SessionConnectionStatus.Closed)
            {
                closed.TrySetResult();
            }
        };

        var counselorOnNode1 = new HikiConsultApi(new HttpClient { BaseAddress = LocalCluster.Node(1) });
        await counselorOnNode1.LoginAsync("demo.counselor", "demo-password");
        await counselorOnNode1.RevokeDeviceAsync(clinic.Pairing.DeviceId);

        // The open connection on node 2 is closed by the revocation on node 1 ...
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // ... and the token is refused on every node, on REST and on the hubs.
        for (var n = 1; n <= LocalCluster.NodeCount; n++)
        {
            using var http = new HttpClient { BaseAddress = LocalCluster.Node(n) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", clinic.Device.AccessToken);
            using var response = await http.GetAsync("/api/devices/me/sessions");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

            await using var again = new SessionConnection(new Uri(LocalCluster.Node(n), HubPaths.Avatar), clinic.DeviceOptions());
            await Assert.ThrowsAnyAsync<Exception>(() => again.StartAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }
}

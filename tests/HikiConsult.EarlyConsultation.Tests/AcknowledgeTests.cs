using HikiConsult.Contracts;
using HikiConsult.EarlyConsultation.Tests.Infrastructure;
using HikiConsult.Grains.EarlyConsultation;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>AcknowledgeAlert on the counselor hub: pushes, persistence, idempotence and who may do it.</summary>
public sealed class AcknowledgeTests(SharedServer server) : IClassFixture<SharedServer>
{
    private TestServerApp App => server.App;

    [Fact]
    public async Task Acknowledging_pushes_AlertUpdated_and_removes_the_alert_from_the_open_ones()
    {
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        await using var supervisorHub = await App.ConnectAsync(HubPaths.Counselor, supervisor.Token);
        await using var flow = await AlertFlow.RaiseAsync(App);
        Assert.Contains(await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", flow.Scenario.Counselor.Token), a => a.AlertId == flow.Alert.AlertId);

        var acknowledged = await flow.Counselor.AcknowledgeAsync(flow.Alert.AlertId, "Phoned the client; safety plan agreed.");
        Assert.Equal(RiskAlertStatuses.Acknowledged, acknowledged.Status);
        Assert.Equal(flow.Scenario.Counselor.Id, acknowledged.AcknowledgedBy);
        Assert.Equal(App.Clock.GetUtcNow(), acknowledged.AcknowledgedAt);

        var counselorPush = await flow.Counselor.WaitForAlertUpdateAsync(a => a.AlertId == flow.Alert.AlertId);
        var supervisorPush = await supervisorHub.WaitForAlertUpdateAsync(a => a.AlertId == flow.Alert.AlertId);
        Assert.Equal(RiskAlertStatuses.Acknowledged, counselorPush.Value.Status);
        Assert.Equal(RiskAlertStatuses.Acknowledged, supervisorPush.Value.Status);

        Assert.DoesNotContain(await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", flow.Scenario.Counselor.Token), a => a.AlertId == flow.Alert.AlertId);
        Assert.DoesNotContain(await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", supervisor.Token), a => a.AlertId == flow.Alert.AlertId);

        // The history keeps it, with the note, for the clinic's records.
        var history = await App.GetJsonAsync<List<RiskAlertRecord>>($"/api/clients/{flow.Scenario.Client.Id}/alerts", flow.Scenario.Counselor.Token);
        var kept = Assert.Single(history);
        Assert.Equal(RiskAlertStatuses.Acknowledged, kept.Alert.Status);
        Assert.Equal("Phoned the client; safety plan agreed.", kept.AcknowledgementNote);

        // Acknowledging again changes nothing.
        var again = await flow.Counselor.AcknowledgeAsync(flow.Alert.AlertId, "second time");
        Same.Json(acknowledged, again);
    }

    [Fact]
    public async Task Only_a_clinician_who_sees_the_client_can_acknowledge_and_errors_keep_the_connection_usable()
    {
        await using var flow = await AlertFlow.RaiseAsync(App);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        await using var otherHub = await App.ConnectAsync(HubPaths.Counselor, other.Token);
        await using var adminHub = await App.ConnectAsync(HubPaths.Counselor, admin.Token);

        foreach (var hub in new[] { otherHub, adminHub })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => hub.AcknowledgeAsync(flow.Alert.AlertId, null));
            Assert.Contains("Alert not found.", refused.Message, StringComparison.Ordinal);
        }

        foreach (var junk in new[] { "al_00000000000000000000000000000000", "se_1", "", "../../etc" })
        {
            var unknown = await Assert.ThrowsAsync<HubException>(() => flow.Counselor.AcknowledgeAsync(junk, null));
            Assert.Contains("Alert not found.", unknown.Message, StringComparison.Ordinal);
        }

        var tooLong = await Assert.ThrowsAsync<HubException>(() => flow.Counselor.AcknowledgeAsync(flow.Alert.AlertId, new string('x', 2001)));
        Assert.Contains("longer than 2000", tooLong.Message, StringComparison.Ordinal);

        // Still open, and the same connection can acknowledge it now.
        Assert.Contains(await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", flow.Scenario.Counselor.Token), a => a.AlertId == flow.Alert.AlertId && a.Status == RiskAlertStatuses.Open);
        var acknowledged = await flow.Counselor.AcknowledgeAsync(flow.Alert.AlertId, "");
        Assert.Equal(RiskAlertStatuses.Acknowledged, acknowledged.Status);

        // The update reached its counselor; one fan-out writes it to every connection it goes to, so a round trip on
        // each other connection after that would come behind it.
        await flow.Counselor.WaitForAlertUpdateAsync(a => a.AlertId == flow.Alert.AlertId && a.Status == RiskAlertStatuses.Acknowledged);
        await otherHub.RoundTripAsync();
        await adminHub.RoundTripAsync();
        Assert.Empty(otherHub.AlertUpdates);
        Assert.Empty(adminHub.AlertUpdates);
    }

    [Fact]
    public async Task A_supervisor_can_acknowledge_an_alert_of_any_client()
    {
        await using var flow = await AlertFlow.RaiseAsync(App);
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        await using var supervisorHub = await App.ConnectAsync(HubPaths.Counselor, supervisor.Token);
        var acknowledged = await supervisorHub.AcknowledgeAsync(flow.Alert.AlertId, "Covered for the counselor.");
        Assert.Equal(supervisor.Id, acknowledged.AcknowledgedBy);
        await flow.Counselor.WaitForAlertUpdateAsync(a => a.AlertId == flow.Alert.AlertId && a.Status == RiskAlertStatuses.Acknowledged);
    }
}

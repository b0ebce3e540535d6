using HikiConsult.Contracts;
using HikiConsult.EarlyConsultation.Tests.Infrastructure;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>Escalation of unacknowledged alerts, driven by the manual clock (no sleeping), including across a restart.</summary>
public sealed class EscalationTests
{
    [Fact]
    public async Task An_alert_not_acknowledged_within_five_minutes_is_escalated_to_every_supervisor()
    {
        await using var app = new TestServerApp().Start();
        var supervisors = new[] { await app.CreateStaffAsync(Roles.Supervisor), await app.CreateStaffAsync(Roles.Supervisor) };
        await using var first = await app.ConnectAsync(HubPaths.Counselor, supervisors[0].Token);
        await using var second = await app.ConnectAsync(HubPaths.Counselor, supervisors[1].Token);
        await using var flow = await AlertFlow.RaiseAsync(app);

        app.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var stillOpen = await app.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", flow.Scenario.Counselor.Token);
        Assert.Equal(RiskAlertStatuses.Open, Assert.Single(stillOpen, a => a.AlertId == flow.Alert.AlertId).Status);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        foreach (var supervisor in new[] { first, second })
        {
            var escalated = (await supervisor.WaitForAlertUpdateAsync(a => a.AlertId == flow.Alert.AlertId)).Value;
            Assert.Equal(RiskAlertStatuses.Escalated, escalated.Status);
            Assert.Equal(flow.Alert.CreatedAt + TimeSpan.FromMinutes(5), escalated.EscalatedAt);
        }

        // The counselor sees it escalated too, and it stays open until someone acknowledges it.
        await flow.Counselor.WaitForAlertUpdateAsync(a => a.AlertId == flow.Alert.AlertId && a.Status == RiskAlertStatuses.Escalated);
        var open = await app.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", supervisors[0].Token);
        Assert.Equal(RiskAlertStatuses.Escalated, Assert.Single(open, a => a.AlertId == flow.Alert.AlertId).Status);
        await flow.Counselor.WaitForTriageAsync(q => q.Entries.Any(e => e.Reasons.Any(r => r.Code == "RISK_ALERT_ESCALATED")));
        var triage = await app.GetJsonAsync<TriageQueueDto>("/api/triage", flow.Scenario.Counselor.Token);
        Assert.Contains(Assert.Single(triage.Entries).Reasons, r => r.Code == "RISK_ALERT_ESCALATED");

        var acknowledged = await first.AcknowledgeAsync(flow.Alert.AlertId, "Reached the client.");
        Assert.Equal(RiskAlertStatuses.Acknowledged, acknowledged.Status);
        Assert.Equal(flow.Alert.CreatedAt + TimeSpan.FromMinutes(5), acknowledged.EscalatedAt);
    }

    [Fact]
    public async Task The_escalation_time_is_configurable_and_acknowledged_alerts_are_never_escalated()
    {
        await using var app = new TestServerApp(new() { ["EarlyConsultation:AlertAcknowledgeTimeout"] = "00:02:00" }).Start();
        var supervisor = await app.CreateStaffAsync(Roles.Supervisor);
        await using var supervisorHub = await app.ConnectAsync(HubPaths.Counselor, supervisor.Token);
        await using var flow = await AlertFlow.RaiseAsync(app);
        await flow.Counselor.AcknowledgeAsync(flow.Alert.AlertId, "Talked it through.");

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await flow.RaiseAnotherAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(2));

        var escalated = (await supervisorHub.WaitForAlertUpdateAsync(a => a.AlertId == later.AlertId && a.Status == RiskAlertStatuses.Escalated)).Value;
        Assert.Equal(later.CreatedAt + TimeSpan.FromMinutes(2), escalated.EscalatedAt);

        // The first alert only ever got its acknowledgement.
        Assert.Equal([RiskAlertStatuses.Acknowledged], supervisorHub.AlertUpdates.Where(u => u.Value.AlertId == flow.Alert.AlertId).Select(u => u.Value.Status));
    }

    [Fact]
    public async Task Escalation_survives_a_restart()
    {
        await using var app = new TestServerApp().Start();
        var supervisor = await app.CreateStaffAsync(Roles.Supervisor);
        RiskAlertDto alert;
        await using (var flow = await AlertFlow.RaiseAsync(app))
        {
            alert = flow.Alert;
        }

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.RestartAsync();
        await using var supervisorHub = await app.ConnectAsync(HubPaths.Counselor, supervisor.Token);

        // Still open after the restart, with the same deadline: three more minutes.
        var open = await app.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", supervisor.Token);
        Same.Json(alert, Assert.Single(open, a => a.AlertId == alert.AlertId));

        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var escalated = (await supervisorHub.WaitForAlertUpdateAsync(a => a.AlertId == alert.AlertId)).Value;
        Assert.Equal(RiskAlertStatuses.Escalated, escalated.Status);
        Assert.Equal(alert.CreatedAt + TimeSpan.FromMinutes(5), escalated.EscalatedAt);
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_server_was_down_escalates_at_start()
    {
        await using var app = new TestServerApp().Start();
        var supervisor = await app.CreateStaffAsync(Roles.Supervisor);
        RiskAlertDto alert;
        await using (var flow = await AlertFlow.RaiseAsync(app))
        {
            alert = flow.Alert;
        }

        await app.RestartAsync(whileStopped: () => app.Clock.Advance(TimeSpan.FromMinutes(30)));
        await using var supervisorHub = await app.ConnectAsync(HubPaths.Counselor, supervisor.Token);

        // Escalated on start (the push may have gone out before this connection existed): the stored alert says so.
        await Poll.UntilAsync(
            async () => (await app.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", supervisor.Token))
                .Any(a => a.AlertId == alert.AlertId && a.Status == RiskAlertStatuses.Escalated),
            "the alert stored as escalated after the start");
    }
}

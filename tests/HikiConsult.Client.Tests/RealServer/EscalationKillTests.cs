using System.Net.Http.Json;
using System.Text.Json;
using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>
/// A risk alert that nobody acknowledges is escalated when its time is up, even when the server process is killed
/// (SIGKILL) inside that window: the escalation lives in the alert store and the Orleans reminder table, not only in
/// the memory of the process that raised it.
/// </summary>
public sealed class EscalationKillTests : RestartedServerTests
{
    private static readonly TimeSpan AcknowledgeTimeout = TimeSpan.FromSeconds(20);

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>(ServerFixture.TestSettings)
    {
        ["EarlyConsultation:AlertAcknowledgeTimeout"] = AcknowledgeTimeout.ToString(),
    };

    [Fact]
    public async Task An_alert_raised_before_a_kill_is_escalated_after_the_restart_when_its_time_is_up()
    {
        var clinic = await Clinic.SetUpAsync(Server.BaseAddress);
        await using (var counselor = await clinic.JoinAsync(Server.BaseAddress, asCounselor: true))
        await using (var device = await clinic.JoinAsync(Server.BaseAddress, asCounselor: false))
        {
            await device.SendAsync(new SendRequest(SessionConnection.NewClientMsgId(), EventKinds.Text, JsonSerializer.SerializeToElement(new { text = "I want to kill myself tonight." })));
        }

        // The alert is stored before the sender's ack; the process dies well inside its acknowledgement window.
        var raised = Assert.Single(await AlertsAsync(clinic));
        Assert.Equal(RiskAlertStatuses.Open, raised.Status);
        Server.Kill();
        Assert.True(DateTimeOffset.UtcNow < raised.CreatedAt + AcknowledgeTimeout, "the kill must come before the deadline");

        Server = await StartServerAsync();
        var escalated = await WaitForAsync(clinic, a => a.AlertId == raised.AlertId && a.Status == RiskAlertStatuses.Escalated, TimeSpan.FromSeconds(90));
        // At the deadline in real time (a timer's or the reminder's tick after it), never before.
        var deadline = raised.CreatedAt + AcknowledgeTimeout;
        Assert.InRange(escalated.EscalatedAt!.Value, deadline, deadline + TimeSpan.FromSeconds(70));
    }

    private static async Task<IReadOnlyList<RiskAlertDto>> AlertsAsync(Clinic clinic)
    {
        using var http = new HttpClient { BaseAddress = clinic.Counselor.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", clinic.Counselor.AccessToken);
        return (await http.GetFromJsonAsync<List<RiskAlertDto>>("/api/alerts", new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    /// <summary>Reads the alerts on a steady tick until one matches (the escalation comes at a deadline in real time).</summary>
    private static async Task<RiskAlertDto> WaitForAsync(Clinic clinic, Func<RiskAlertDto, bool> match, TimeSpan timeout)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        using var deadline = new CancellationTokenSource(timeout);
        while (await tick.WaitForNextTickAsync(deadline.Token))
        {
            if ((await AlertsAsync(clinic)).FirstOrDefault(match) is { } found)
            {
                return found;
            }
        }

        throw new TimeoutException("The alert was not escalated in time.");
    }
}

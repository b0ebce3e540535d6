using HikiConsult.Contracts;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>A scenario with the counselor's and the device's connections open and one alert raised.</summary>
public sealed class AlertFlow : IAsyncDisposable
{
    private AlertFlow(Scenario scenario, HubClient counselor, HubClient device, RiskAlertDto alert)
    {
        Scenario = scenario;
        Counselor = counselor;
        Device = device;
        Alert = alert;
    }

    public Scenario Scenario { get; }

    public HubClient Counselor { get; }

    public HubClient Device { get; }

    public RiskAlertDto Alert { get; }

    public static async Task<AlertFlow> RaiseAsync(TestServerApp app, string text = "I want to die", Staff? counselor = null)
    {
        var scenario = await Scenario.CreateAsync(app, counselor: counselor);
        var counselorHub = await app.ConnectAsync(HubPaths.Counselor, scenario.Counselor.Token);
        var device = await app.ConnectAsync(HubPaths.Avatar, scenario.Device.AccessToken);
        await device.JoinAsync(scenario.Session.Id);
        var ack = await device.SendTextAsync(scenario.Session.Id, text);
        var alert = await counselorHub.WaitForRiskAlertAsync(a => a.SessionId == scenario.Session.Id && a.Seq == ack.Seq);
        return new AlertFlow(scenario, counselorHub, device, alert.Value);
    }

    /// <summary>Another alert on the same session (used as a sentinel: once it is here, earlier pushes are too).</summary>
    public async Task<RiskAlertDto> RaiseAnotherAsync(string text = "I have been saving up pills in a drawer")
    {
        var ack = await Device.SendTextAsync(Scenario.Session.Id, text);
        return (await Counselor.WaitForRiskAlertAsync(a => a.SessionId == Scenario.Session.Id && a.Seq == ack.Seq)).Value;
    }

    public async ValueTask DisposeAsync()
    {
        await Counselor.DisposeAsync();
        await Device.DisposeAsync();
    }
}

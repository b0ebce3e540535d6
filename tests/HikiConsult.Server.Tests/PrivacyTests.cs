using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Hubs;
using HikiConsult.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Server.Tests;

/// <summary>With the server's own logging configuration, no token, password or message content reaches a log.</summary>
public sealed class PrivacyTests : IAsyncLifetime
{
    private readonly TestServerApp _app = new();

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Logs_never_contain_tokens_passwords_or_message_bodies()
    {
        const string Secret = "Nobody may know I feel this way 7f3a";
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await device.SendTextAsync(s.Session.Id, Secret);
        await counselor.SendAsync(s.Session.Id, EventKinds.Speak, new { text = Secret + " (spoken)" });
        await Assert.ThrowsAsync<HubException>(() => device.SendAsync(s.Session.Id, EventKinds.Speak, new { text = Secret }));
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, Secret + " note");
        await _app.GetAsync($"/api/sessions/{s.Session.Id}/transcript", s.Counselor.Token);
        using var revoked = await _app.SendAsync(HttpMethod.Delete, $"/api/devices/{s.Device.DeviceId}", s.Counselor.Token);
        await device.Closed.WaitAsync(HubClient.Timeout);
        await _app.GetAsync("/api/devices/me/sessions", s.Device.AccessToken);
        await _app.PostAsync("/api/auth/login", null, new LoginRequest(s.Counselor.Username, "wrong " + TestServerApp.Password));
        await counselor.DisposeAsync();

        var lines = _app.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains("Nobody may know", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(s.Counselor.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(s.Device.AccessToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(s.Device.AccessToken[..20], StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(TestServerApp.Password, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(File.ReadAllText(_app.SigningKeyPath), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_request_is_answered_without_an_error_in_the_log()
    {
        var s = await Scenario.CreateAsync(_app);
        var (_, device) = await s.JoinBothAsync(_app);

        // Bad input from a device: readable refusals, and the connection goes on.
        await Assert.ThrowsAsync<HubException>(() => device.SendAsync(s.Session.Id, EventKinds.Speak, new { text = "not mine to send" }));
        await Assert.ThrowsAsync<HubException>(() => device.SendAsync(s.Session.Id, "no-such-kind", new { text = "?" }));
        await device.SendTextAsync(s.Session.Id, "still here");

        Assert.DoesNotContain(_app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unexpected_failure_is_logged_once_by_type_and_the_caller_may_resend()
    {
        const string Marker = "fails-on-store 51c2";
        await using var app = new TestServerApp(services: services => FailingEventStore.Replace(services, Marker));
        app.Start();
        var s = await Scenario.CreateAsync(app);
        var (_, device) = await s.JoinBothAsync(app);

        var refused = await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, Marker));
        Assert.Contains("Try again; a resend with the same clientMsgId is safe.", refused.Message, StringComparison.Ordinal);
        await device.SendTextAsync(s.Session.Id, "after the failure");

        var errors = app.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains(nameof(SessionHubFilter), error, StringComparison.Ordinal);
        Assert.Contains(typeof(IOException).FullName!, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, error, StringComparison.Ordinal);
    }
}

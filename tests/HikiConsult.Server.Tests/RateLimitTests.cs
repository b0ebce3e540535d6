using System.Net;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Tests;

public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly TestServerApp _app = new(new Dictionary<string, string?>
    {
        ["Auth:LoginPermitLimit"] = "25",
        ["Auth:PairingPermitLimit"] = "3",
        ["Hubs:SendBurst"] = "3",
        ["Hubs:SendPerSecond"] = "1",
    });

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Sends_beyond_the_per_connection_rate_are_refused_without_storing_them()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;

        for (var i = 0; i < 3; i++)
        {
            await device.SendTextAsync(s.Session.Id, $"burst {i}");
        }

        var count = await _app.CountEventsAsync(s.Session.Id);
        var refused = await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, "one too many", clientMsgId: "retry-me"));
        Assert.Contains("Too many messages", refused.Message);
        Assert.Equal(count, await _app.CountEventsAsync(s.Session.Id));

        // Another connection has its own budget.
        await counselor.SendTextAsync(s.Session.Id, "counselor is not limited by the device");

        // One second later there is room for one more; the refused message can be resent as is.
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        var ack = await device.SendTextAsync(s.Session.Id, "one too many", clientMsgId: "retry-me");
        Assert.False(ack.Duplicate);
        await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, "again too soon"));
    }

    [Fact]
    public async Task Pairing_attempts_are_rate_limited()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await _app.PostAsync("/api/devices/pair", null, new PairDeviceRequest($"1111-000{i}", "Guessing"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Login_attempts_are_rate_limited()
    {
        var last = HttpStatusCode.OK;
        for (var i = 0; i < 30 && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var response = await _app.PostAsync("/api/auth/login", null, new LoginRequest("someone", "guess" + i));
            last = response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
    }
}

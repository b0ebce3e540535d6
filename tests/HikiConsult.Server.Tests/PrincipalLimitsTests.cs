using System.Net;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>Hub limits hold per device or account, however many connections it opens.</summary>
public sealed class PrincipalLimitsTests : IAsyncLifetime
{
    private readonly TestServerApp _app = new(new Dictionary<string, string?>
    {
        ["Hubs:SendBurst"] = "3",
        ["Hubs:SendPerSecond"] = "1",
        ["Hubs:JoinBurst"] = "3",
        ["Hubs:JoinPerSecond"] = "1",
        ["Hubs:MaxConnectionsPerPrincipal"] = "3",
        ["Auth:PairingPermitLimit"] = "1",
    });

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task One_token_holds_a_bounded_number_of_connections()
    {
        var s = await Scenario.CreateAsync(_app);
        await using var counselor = await _app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        await counselor.JoinAsync(s.Session.Id);
        var open = new List<HubClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                open.Add(await _app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken));
            }

            var refused = await Assert.ThrowsAnyAsync<Exception>(() => _app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken));
            Assert.DoesNotContain("Try again", refused.Message, StringComparison.OrdinalIgnoreCase);

            // Another principal is not affected.
            await using (await _app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token))
            {
            }

            // A closed connection frees its place: seen when the device, present through that connection only, leaves.
            await open[0].JoinAsync(s.Session.Id);
            await counselor.WaitForStateAsync(st => st.Participants.Any(p => p.Id == s.Device.DeviceId && p.Present));
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            await counselor.WaitForStateAsync(st => st.Participants.Any(p => p.Id == s.Device.DeviceId && !p.Present));
            open.Add(await _app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken));
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Sends_are_limited_per_device_across_its_connections()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;
        await using var second = await _app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await second.JoinAsync(s.Session.Id);

        await device.SendTextAsync(s.Session.Id, "one");
        await second.SendTextAsync(s.Session.Id, "two");
        await device.SendTextAsync(s.Session.Id, "three");
        var count = await _app.CountEventsAsync(s.Session.Id);
        var refused = await Assert.ThrowsAsync<HubException>(() => second.SendTextAsync(s.Session.Id, "four", clientMsgId: "four"));
        Assert.Contains("Too many messages", refused.Message);
        Assert.Contains("for each device or account", refused.Message);
        Assert.Equal(count, await _app.CountEventsAsync(s.Session.Id));

        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(count + 1, (await second.SendTextAsync(s.Session.Id, "four", clientMsgId: "four")).Seq);
    }

    [Fact]
    public async Task Joins_are_limited_per_principal_and_a_refused_join_writes_no_audit_row()
    {
        var s = await Scenario.CreateAsync(_app);
        var connections = new List<HubClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                connections.Add(await _app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token));
            }

            foreach (var connection in connections)
            {
                await connection.JoinAsync(s.Session.Id);
            }

            var audit = _app.Services.GetRequiredService<AuditLog>();
            var joins = (await audit.ListAsync(s.Session.Id, 1000)).Count(r => r.Action == AuditActions.SessionJoin);
            var refused = await Assert.ThrowsAsync<HubException>(() => connections[0].JoinAsync(s.Session.Id));
            Assert.Contains("Too many joins", refused.Message);
            Assert.Equal(joins, (await audit.ListAsync(s.Session.Id, 1000)).Count(r => r.Action == AuditActions.SessionJoin));

            _app.Clock.Advance(TimeSpan.FromSeconds(1));
            await connections[0].JoinAsync(s.Session.Id);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_rate_limited_request_says_when_to_come_back()
    {
        await _app.PostAsync("/api/devices/pair", null, new PairDeviceRequest("1111-0000", "Guessing"));
        using var limited = await _app.PostAsync("/api/devices/pair", null, new PairDeviceRequest("1111-0001", "Guessing"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
    }
}

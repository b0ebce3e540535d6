using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Tests;

public sealed class DeviceTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Theory]
    [InlineData(DeviceKinds.Avatar, Roles.Client)]
    [InlineData(DeviceKinds.Robot, Roles.Client)]
    [InlineData(DeviceKinds.Family, Roles.Family)]
    public async Task A_code_pairs_a_device_once_and_its_token_acts_for_the_client(string kind, string role)
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var code = await App.CreatePairingCodeAsync(counselor.Token, client.Id, kind);

        Assert.Matches(new Regex("^[0-9]{4}-[0-9]{4}$"), code.Code);
        Assert.InRange((code.ExpiresAt - App.Clock.GetUtcNow().AddMinutes(10)).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

        // Typed as read aloud: without the dash, with a space.
        var paired = await App.ExpectAsync<PairDeviceResponse>(201, HttpMethod.Post, "/api/devices/pair", body: new PairDeviceRequest(code.Code.Replace("-", " "), "Living room"));
        Assert.Equal((client.Id, kind), (paired.ClientId, paired.Kind));
        Assert.StartsWith("dv_", paired.DeviceId);

        var me = await App.ExpectAsync<UserInfo>(200, HttpMethod.Get, "/api/auth/me", paired.AccessToken);
        Assert.Equal((paired.DeviceId, role), (me.Id, me.Role));
        var record = await App.ExpectAsync<ClientDto>(200, HttpMethod.Get, $"/api/clients/{client.Id}", counselor.Token);
        var device = Assert.Single(record.Devices);
        Assert.Equal((paired.DeviceId, kind, "Living room", false), (device.DeviceId, device.Kind, device.Name, device.Revoked));

        using var again = await App.PostAsync("/api/devices/pair", null, new PairDeviceRequest(code.Code, "Second try"));
        await AssertInvalidCodeAsync(again);
    }

    [Fact]
    public async Task Unknown_and_malformed_codes_get_the_same_400()
    {
        using var unknown = await App.PostAsync("/api/devices/pair", null, new PairDeviceRequest("0000-0001", "Tablet"));
        using var malformed = await App.PostAsync("/api/devices/pair", null, new PairDeviceRequest("drop table", "Tablet"));
        await AssertInvalidCodeAsync(unknown);
        await AssertInvalidCodeAsync(malformed);

        using var noName = await App.PostAsync("/api/devices/pair", null, new PairDeviceRequest("0000-0001", ""));
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.True(JsonDocument.Parse(await noName.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("deviceName", out _));
    }

    [Fact]
    public async Task A_code_expires_after_ten_minutes()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var late = await App.CreatePairingCodeAsync(counselor.Token, client.Id, DeviceKinds.Robot);
        var inTime = await App.CreatePairingCodeAsync(counselor.Token, client.Id, DeviceKinds.Robot);

        App.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await App.ExpectAsync<PairDeviceResponse>(201, HttpMethod.Post, "/api/devices/pair", body: new PairDeviceRequest(inTime.Code, "Robot"));

        App.Clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await App.PostAsync("/api/devices/pair", null, new PairDeviceRequest(late.Code, "Robot"));
        await AssertInvalidCodeAsync(expired);
    }

    [Fact]
    public async Task Pairing_codes_need_a_known_kind_and_a_visible_client()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        using var badKind = await App.PostAsync($"/api/clients/{client.Id}/pairing-codes", counselor.Token, new { kind = "toaster" });
        using var hidden = await App.PostAsync($"/api/clients/{client.Id}/pairing-codes", other.Token, new { kind = "avatar" });
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_device_stops_its_token_and_closes_its_connections_at_once()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        await App.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", s.Device.AccessToken);

        var other = await App.CreateStaffAsync(Roles.Counselor);
        using (var notYours = await App.SendAsync(HttpMethod.Delete, $"/api/devices/{s.Device.DeviceId}", other.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, notYours.StatusCode);
        }

        using (var revoke = await App.SendAsync(HttpMethod.Delete, $"/api/devices/{s.Device.DeviceId}", s.Counselor.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await device.Closed.WaitAsync(HubClient.Timeout);
        var left = await counselor.WaitForEventAsync(e => SessionHubTests.Describe(e) == "left");
        Assert.Equal(s.Device.DeviceId, left.Body.GetProperty("participant").GetProperty("id").GetString());

        using var rest = await App.GetAsync("/api/devices/me/sessions", s.Device.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
        var reconnect = await App.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken, start: false);
        await Assert.ThrowsAnyAsync<Exception>(() => reconnect.Connection.StartAsync());

        var record = await App.ExpectAsync<ClientDto>(200, HttpMethod.Get, $"/api/clients/{s.Client.Id}", s.Counselor.Token);
        Assert.True(Assert.Single(record.Devices).Revoked);
    }

    [Fact]
    public async Task A_device_may_unpair_itself_but_not_another_device()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var first = await App.PairDeviceAsync(counselor.Token, client.Id);
        var second = await App.PairDeviceAsync(counselor.Token, client.Id);

        using (var other = await App.SendAsync(HttpMethod.Delete, $"/api/devices/{second.DeviceId}", first.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        using (var self = await App.SendAsync(HttpMethod.Delete, $"/api/devices/{first.DeviceId}", first.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, self.StatusCode);
        }

        using var after = await App.GetAsync("/api/devices/me/sessions", first.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        await App.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", second.AccessToken);
    }

    [Fact]
    public async Task A_device_lists_the_open_sessions_it_may_join()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var avatar = await App.PairDeviceAsync(counselor.Token, client.Id, DeviceKinds.Avatar);
        var family = await App.PairDeviceAsync(counselor.Token, client.Id, DeviceKinds.Family);
        var open = await App.CreateSessionAsync(counselor.Token, client.Id);
        var cancelled = await App.CreateSessionAsync(counselor.Token, client.Id);
        var familySession = await App.CreateSessionAsync(counselor.Token, client.Id, familyOnly: true);
        await App.ExpectAsync<SessionDto>(200, HttpMethod.Post, $"/api/sessions/{cancelled.Id}/cancel", counselor.Token);

        var forAvatar = await App.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", avatar.AccessToken);
        var forFamily = await App.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, "/api/devices/me/sessions", family.AccessToken);
        Assert.Equal([open.Id], forAvatar.Select(x => x.Id));
        Assert.Equal([familySession.Id], forFamily.Select(x => x.Id));

        using var staff = await App.GetAsync("/api/devices/me/sessions", counselor.Token);
        Assert.Equal(HttpStatusCode.NotFound, staff.StatusCode);
    }

    private static async Task AssertInvalidCodeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("not valid", problem.GetProperty("detail").GetString());
    }
}

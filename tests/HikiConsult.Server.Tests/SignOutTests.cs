using System.Net;
using System.Security.Claims;
using HikiConsult.Contracts;
using HikiConsult.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HikiConsult.Server.Tests;

/// <summary>
/// Server-side sign-out, short access tokens renewed by rotating refresh tokens, and tokens whose claims do not match
/// the account or device. Runs with the production token lifetime (the test default is long).
/// </summary>
public sealed class SignOutTests : IAsyncLifetime
{
    private readonly TestServerApp _app = new(new Dictionary<string, string?> { ["Auth:StaffTokenLifetime"] = new AuthOptions().StaffTokenLifetime.ToString() });

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Access_tokens_live_at_most_15_minutes_and_are_renewed_with_a_rotating_refresh_token()
    {
        Assert.True(new AuthOptions().StaffTokenLifetime <= TimeSpan.FromMinutes(15));
        var staff = await _app.CreateStaffAsync(Roles.Counselor);
        var signIn = await SignInAsync(staff);
        Assert.InRange(signIn.ExpiresAt - _app.Clock.GetUtcNow(), TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.StartsWith(AuthSessionStore.TokenPrefix, signIn.RefreshToken);

        _app.Clock.Advance(TimeSpan.FromMinutes(17));
        using (var expired = await _app.GetAsync("/api/auth/me", signIn.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", expired.Headers.WwwAuthenticate.ToString());
        }

        var renewed = await _app.ExpectAsync<SignInResponse>(200, HttpMethod.Post, "/api/auth/refresh", body: new RefreshRequest(signIn.RefreshToken));
        Assert.NotEqual(signIn.RefreshToken, renewed.RefreshToken);
        Assert.Equal(staff.Id, (await _app.GetJsonAsync<UserInfo>("/api/auth/me", renewed.AccessToken)).Id);

        // A renewal uses its token up: the next renewal takes the new one.
        var again = await _app.ExpectAsync<SignInResponse>(200, HttpMethod.Post, "/api/auth/refresh", body: new RefreshRequest(renewed.RefreshToken));
        Assert.Equal(staff.Id, (await _app.GetJsonAsync<UserInfo>("/api/auth/me", again.AccessToken)).Id);
    }

    [Fact]
    public async Task Sign_out_refuses_the_token_at_once_on_REST_and_closes_its_hub_connections()
    {
        var staff = await _app.CreateStaffAsync(Roles.Counselor);
        var signIn = await SignInAsync(staff);
        var other = await SignInAsync(staff);
        await using var hub = await _app.ConnectAsync(HubPaths.Counselor, signIn.AccessToken);
        await using var otherHub = await _app.ConnectAsync(HubPaths.Counselor, other.AccessToken);

        await _app.ExpectStatusAsync(204, HttpMethod.Post, "/api/auth/logout", signIn.AccessToken);

        await hub.Closed.WaitAsync(HubClient.Timeout);
        await _app.ExpectStatusAsync(401, HttpMethod.Get, "/api/auth/me", signIn.AccessToken);
        await _app.ExpectStatusAsync(401, HttpMethod.Post, "/api/auth/refresh", body: new RefreshRequest(signIn.RefreshToken));
        await Assert.ThrowsAnyAsync<Exception>(() => _app.ConnectAsync(HubPaths.Counselor, signIn.AccessToken));

        // Only that sign-in ended: another device of the same person goes on.
        await _app.ExpectStatusAsync(200, HttpMethod.Get, "/api/auth/me", other.AccessToken);
        await otherHub.ReadyAsync();

        var audit = await _app.GetJsonAsync<List<AuditRow>>("/api/audit?limit=1000", (await _app.CreateStaffAsync(Roles.Admin)).Token);
        Assert.Contains(audit, r => r.Action == "auth.logout" && r.ActorId == staff.Id);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_sign_in()
    {
        var staff = await _app.CreateStaffAsync(Roles.Supervisor);
        var signIn = await SignInAsync(staff);
        var renewed = await _app.ExpectAsync<SignInResponse>(200, HttpMethod.Post, "/api/auth/refresh", body: new RefreshRequest(signIn.RefreshToken));
        await using var hub = await _app.ConnectAsync(HubPaths.Counselor, renewed.AccessToken);

        // The old token again: a copy is in someone else's hands.
        await _app.ExpectStatusAsync(401, HttpMethod.Post, "/api/auth/refresh", body: new RefreshRequest(signIn.RefreshToken));

        await hub.Closed.WaitAsync(HubClient.Timeout);
        await _app.ExpectStatusAsync(401, HttpMethod.Get, "/api/auth/me", renewed.AccessToken);
        await _app.ExpectStatusAsync(401, HttpMethod.Post, "/api/auth/refresh", body: new RefreshRequest(renewed.RefreshToken));
        await _app.ExpectStatusAsync(401, HttpMethod.Post, "/api/auth/refresh", body: new RefreshRequest("rt_unknown"));
    }

    [Fact]
    public async Task A_token_whose_role_or_client_does_not_match_the_store_is_refused()
    {
        var counselor = await _app.CreateStaffAsync(Roles.Counselor);
        var signIn = await SignInAsync(counselor);
        var sid = new JsonWebTokenHandler().ReadJsonWebToken(signIn.AccessToken).GetClaim(TokenClaims.SessionId).Value;

        // Minted with the real signing key, as with a stolen key: the claims are what is checked.
        var asSupervisor = Mint((TokenClaims.Subject, counselor.Id), (TokenClaims.Role, Roles.Supervisor), (TokenClaims.SessionId, sid));
        var withoutSession = Mint((TokenClaims.Subject, counselor.Id), (TokenClaims.Role, Roles.Counselor));
        var genuine = Mint((TokenClaims.Subject, counselor.Id), (TokenClaims.Role, Roles.Counselor), (TokenClaims.SessionId, sid));
        await _app.ExpectStatusAsync(200, HttpMethod.Get, "/api/auth/me", genuine);
        await _app.ExpectStatusAsync(401, HttpMethod.Get, "/api/clients", asSupervisor);
        await _app.ExpectStatusAsync(401, HttpMethod.Get, "/api/auth/me", withoutSession);
        await Assert.ThrowsAnyAsync<Exception>(() => _app.ConnectAsync(HubPaths.Counselor, asSupervisor));

        var client = await _app.CreateClientAsync(counselor.Token);
        var otherClient = await _app.CreateClientAsync(counselor.Token);
        var device = await _app.PairDeviceAsync(counselor.Token, client.Id);
        var otherClientsDevice = Mint((TokenClaims.Subject, device.DeviceId), (TokenClaims.Role, Roles.Client),
            (TokenClaims.ClientId, otherClient.Id), (TokenClaims.DeviceKind, DeviceKinds.Avatar));
        var asFamily = Mint((TokenClaims.Subject, device.DeviceId), (TokenClaims.Role, Roles.Family),
            (TokenClaims.ClientId, client.Id), (TokenClaims.DeviceKind, DeviceKinds.Family));
        var deviceAsStaff = Mint((TokenClaims.Subject, device.DeviceId), (TokenClaims.Role, Roles.Supervisor), (TokenClaims.SessionId, sid));
        await _app.ExpectStatusAsync(200, HttpMethod.Get, "/api/devices/me/sessions", device.AccessToken);
        foreach (var forged in new[] { otherClientsDevice, asFamily, deviceAsStaff })
        {
            await _app.ExpectStatusAsync(401, HttpMethod.Get, "/api/devices/me/sessions", forged);
            await Assert.ThrowsAnyAsync<Exception>(() => _app.ConnectAsync(HubPaths.Avatar, forged));
        }
    }

    [Fact]
    public async Task Open_connections_are_checked_on_a_schedule_against_the_store()
    {
        var staff = await _app.CreateStaffAsync(Roles.Counselor);
        await using var hub = await _app.ConnectAsync(HubPaths.Counselor, staff.Token);

        // Disabled behind the API's back (another node, a database tool): no one closes the connection but the check.
        Assert.True(await _app.Services.GetRequiredService<UserStore>().DisableAsync(staff.Id));
        await hub.ReadyAsync();
        Assert.False(hub.Closed.IsCompleted);

        _app.Clock.Advance(_app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.CredentialRecheckInterval);
        await hub.Closed.WaitAsync(HubClient.Timeout);
    }

    private async Task<SignInResponse> SignInAsync(Staff staff) =>
        await _app.ExpectAsync<SignInResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(staff.Username, TestServerApp.Password));

    private string Mint(params (string Type, string Value)[] claims)
    {
        var options = _app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var key = _app.Services.GetRequiredService<SigningKeyProvider>().Key;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)).Append(new Claim(TokenClaims.Name, "Forged"))),
            IssuedAt = _app.Clock.GetUtcNow().UtcDateTime,
            NotBefore = _app.Clock.GetUtcNow().UtcDateTime,
            Expires = _app.Clock.GetUtcNow().AddMinutes(10).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    private sealed record AuditRow(long Id, string ActorId, string Action, string TargetId);
}

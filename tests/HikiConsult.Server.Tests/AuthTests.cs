using System.Net;
using System.Text.Json;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Tests;

public sealed class AuthTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task Login_returns_a_token_that_identifies_the_user()
    {
        var staff = await App.CreateStaffAsync(Roles.Counselor);
        var login = await App.ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(staff.Username, TestServerApp.Password));

        Assert.False(string.IsNullOrEmpty(login.AccessToken));
        Assert.Equal(staff.Id, login.User.Id);
        Assert.Equal(Roles.Counselor, login.User.Role);
        Assert.True(login.ExpiresAt > App.Clock.GetUtcNow().AddHours(1));

        var me = await App.ExpectAsync<UserInfo>(200, HttpMethod.Get, "/api/auth/me", login.AccessToken);
        Assert.Equal(staff.Id, me.Id);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_401()
    {
        var staff = await App.CreateStaffAsync(Roles.Counselor);
        using var wrongPassword = await App.PostAsync("/api/auth/login", null, new LoginRequest(staff.Username, "not the password"));
        using var unknownUser = await App.PostAsync("/api/auth/login", null, new LoginRequest("nobody.here", "not the password"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        var a = JsonDocument.Parse(await wrongPassword.Content.ReadAsStringAsync()).RootElement;
        var b = JsonDocument.Parse(await unknownUser.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Login_without_credentials_is_a_validation_problem()
    {
        using var response = await App.PostAsync("/api/auth/login", null, new { username = "", password = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Requests_without_or_with_a_forged_token_are_401()
    {
        using var none = await App.GetAsync("/api/clients", null);
        using var forged = await App.GetAsync("/api/clients", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task A_disabled_account_loses_access_at_once()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        using (var before = await App.GetAsync("/api/clients", counselor.Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using var hub = await App.ConnectAsync(HubPaths.Counselor, counselor.Token);
        using (var disable = await App.SendAsync(HttpMethod.Delete, $"/api/users/{counselor.Id}", admin.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        }

        await hub.Closed.WaitAsync(HubClient.Timeout);

        using var after = await App.GetAsync("/api/clients", counselor.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var login = await App.PostAsync("/api/auth/login", null, new LoginRequest(counselor.Username, TestServerApp.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }
}

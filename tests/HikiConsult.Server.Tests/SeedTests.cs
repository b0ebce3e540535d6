using System.Net;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Tests;

public sealed class SeedTests
{
    [Fact]
    public async Task A_new_database_gets_the_demo_seed_once_and_the_log_says_how_to_sign_in()
    {
        await using var app = new TestServerApp(new Dictionary<string, string?> { ["Seeds:Demo"] = "auto" });
        app.Start();

        var counselor = await SignInAsync(app, "demo.counselor");
        Assert.Equal(Roles.Counselor, counselor.User.Role);
        Assert.Equal(Roles.Supervisor, (await SignInAsync(app, "demo.supervisor")).User.Role);
        Assert.Equal(Roles.Admin, (await SignInAsync(app, "demo.admin")).User.Role);

        var clients = await app.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", counselor.AccessToken);
        Assert.Equal(3, clients.Count);
        Assert.All(clients, c => Assert.Contains("fictional", c.Alias));
        Assert.Equal(["en", "ja", "nl"], clients.Select(c => c.Language).Order());
        foreach (var client in clients)
        {
            var sessions = await app.ExpectAsync<List<SessionDto>>(200, HttpMethod.Get, $"/api/clients/{client.Id}/sessions", counselor.AccessToken);
            var session = Assert.Single(sessions);
            Assert.Equal(SessionStates.Scheduled, session.State);
            Assert.True(session.ScheduledAt > app.Clock.GetUtcNow());
        }

        await Poll.UntilAsync(() => app.Logs.Lines.Any(l => l.Contains("Sign in at")), "the demo seed's log line with 'Sign in at'");
        Assert.Contains(app.Logs.Lines, l => l.Contains("demo.counselor") && l.Contains("demo-password"));

        // A restart on the same database does not load it again.
        await app.RestartAsync();
        var again = await SignInAsync(app, "demo.counselor");
        Assert.Equal(3, (await app.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", again.AccessToken)).Count);
    }

    [Fact]
    public async Task Production_refuses_the_demo_seed()
    {
        await using var app = new TestServerApp(new Dictionary<string, string?> { ["Seeds:Demo"] = "true" }, environment: "Production");
        app.Start();
        using var login = await app.PostAsync("/api/auth/login", null, new LoginRequest("demo.counselor", "demo-password"));
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains(app.Logs.Lines, l => l.Contains("refused in the Production environment"));
    }

    [Fact]
    public async Task Production_can_bootstrap_the_first_admin_from_configuration()
    {
        await using var app = new TestServerApp(
            new Dictionary<string, string?> { ["Seeds:BootstrapAdminUsername"] = "first.admin", ["Seeds:BootstrapAdminPassword"] = "a long first password" },
            environment: "Production");
        app.Start();
        var login = await app.ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest("first.admin", "a long first password"));
        Assert.Equal(Roles.Admin, login.User.Role);
        using var demo = await app.PostAsync("/api/auth/login", null, new LoginRequest("demo.admin", "demo-password"));
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
    }

    private static Task<LoginResponse> SignInAsync(TestServerApp app, string username) =>
        app.ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(username, "demo-password"));
}

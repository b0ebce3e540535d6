using System.Net;
using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.Hosting;

namespace HikiConsult.Server.Tests;

public sealed class HostTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task Health_reports_liveness_and_readiness_with_the_database()
    {
        foreach (var path in new[] { "/health", "/health/ready" })
        {
            using var response = await App.GetAsync(path, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Healthy", body.GetProperty("status").GetString());
            var check = Assert.Single(body.GetProperty("checks").EnumerateArray());
            Assert.Equal(("database", "Healthy"), (check.GetProperty("name").GetString(), check.GetProperty("status").GetString()));
        }

        using var live = await App.GetAsync("/health/live", null);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_endpoint()
    {
        using var response = await App.GetAsync("/openapi/v1.json", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        var documented = paths.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Empty(new HashSet<string>
        {
            "/api/auth/login", "/api/auth/me", "/api/clients", "/api/clients/{id}", "/api/clients/{id}/sessions",
            "/api/clients/{id}/pairing-codes", "/api/clients/{id}/counselors", "/api/clients/{id}/consents",
            "/api/devices/pair", "/api/devices/{id}", "/api/devices/me/sessions",
            "/api/sessions", "/api/sessions/{id}", "/api/sessions/{id}/events", "/api/sessions/{id}/transcript", "/api/sessions/{id}/cancel",
            "/api/users", "/api/users/{id}", "/api/audit",
        }.Except(documented));
    }

    [Fact]
    public async Task Unknown_api_paths_are_problem_details_404()
    {
        using var response = await App.GetAsync("/api/nothing-here", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Hubs_require_a_token()
    {
        using var response = await App.PostAsync($"{HubPaths.Avatar}/negotiate?negotiateVersion=1", null, "");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

/// <summary>The console at / and the avatar client at /avatar, with a web root of our own (the real pages are built by web/).</summary>
public sealed class StaticPagesTests : IAsyncLifetime
{
    private readonly string _webRoot = Path.Combine(Path.GetTempPath(), "hikiconsult-webroot", Guid.NewGuid().ToString("N"));
    private TestServerApp _app = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_webRoot, "avatar"));
        Directory.CreateDirectory(Path.Combine(_webRoot, "assets"));
        File.WriteAllText(Path.Combine(_webRoot, "index.html"), "<title>console page</title>");
        File.WriteAllText(Path.Combine(_webRoot, "avatar", "index.html"), "<title>avatar page</title>");
        File.WriteAllText(Path.Combine(_webRoot, "assets", "app.js"), "console.log('asset');");
        // Not "Development": there the build's static web assets manifest overlays the project's real wwwroot.
        _app = new TestServerApp(new Dictionary<string, string?> { [WebHostDefaults.WebRootKey] = _webRoot }, environment: "Testing");
        _app.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_webRoot, recursive: true);
    }

    [Theory]
    [InlineData("/", "console page")]
    [InlineData("/index.html", "console page")]
    [InlineData("/avatar", "avatar page")]
    [InlineData("/avatar/", "avatar page")]
    [InlineData("/avatar/pair", "avatar page")]
    [InlineData("/assets/app.js", "asset")]
    public async Task Pages_are_served(string path, string expected)
    {
        using var response = await _app.GetAsync(path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_routes_are_not_swallowed_by_the_pages()
    {
        using var response = await _app.GetAsync("/api/clients", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var missing = await _app.GetAsync("/assets/missing.js", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

using System.Net;

namespace HikiConsult.Server.Tests;

/// <summary>HSTS is sent on HTTPS answers outside Development (the other headers are tested over HTTP by web/e2e).</summary>
public sealed class BrowserHardeningTests
{
    // Not "localhost": the HSTS middleware leaves loopback hosts out on purpose.
    private const string Host = "clinic.example";

    [Fact]
    public async Task Https_answers_carry_HSTS_outside_Development_and_plain_http_does_not()
    {
        await using var app = new TestServerApp(environment: "Production");
        app.Start();
        using var secure = await app.Http.GetAsync($"https://{Host}/health/live");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("nosniff", Assert.Single(secure.Headers.GetValues("X-Content-Type-Options")));
        using var plain = await app.Http.GetAsync($"http://{Host}/health/live");
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Development_sends_no_HSTS()
    {
        await using var app = new TestServerApp();
        app.Start();
        using var secure = await app.Http.GetAsync($"https://{Host}/health/live");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.False(secure.Headers.Contains("Strict-Transport-Security"));
    }
}

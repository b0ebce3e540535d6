using System.Net;
using HikiConsult.Contracts;
using HikiConsult.Server.Silo;

namespace HikiConsult.Server.Tests;

/// <summary>The Orleans Dashboard: for admins only, behind the product's own tokens, off in Production unless configured.</summary>
public sealed class DashboardTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task An_admin_opens_the_dashboard_with_a_cookie_scoped_to_it()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        using var open = await App.PostAsync("/api/admin/dashboard-session", admin.Token, body: null);
        Assert.Equal(HttpStatusCode.NoContent, open.StatusCode);
        var cookie = Assert.Single(open.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{DashboardExtensions.CookieName}=", cookie);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        page.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var response = await App.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("orleans", (await response.Content.ReadAsStringAsync()).ToLowerInvariant());
    }

    [Fact]
    public async Task Anyone_but_an_admin_finds_nothing_there()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        using var open = await App.PostAsync("/api/admin/dashboard-session", counselor.Token, body: null);
        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        Assert.False(open.Headers.Contains("Set-Cookie"));

        using var withCounselorToken = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        withCounselorToken.Headers.Add("Cookie", $"{DashboardExtensions.CookieName}={counselor.Token}");
        using var refused = await App.Http.SendAsync(withCounselorToken);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        using var anonymous = await App.GetAsync("/dashboard", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Production_serves_no_dashboard_unless_configured()
    {
        await using var app = new TestServerApp(environment: "Production").Start();
        var admin = await app.CreateStaffAsync(Roles.Admin);
        using var open = await app.PostAsync("/api/admin/dashboard-session", admin.Token, body: null);
        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        using var page = await app.GetAsync("/dashboard", admin.Token);
        Assert.DoesNotContain("orleans", (await page.Content.ReadAsStringAsync()).ToLowerInvariant());
    }
}

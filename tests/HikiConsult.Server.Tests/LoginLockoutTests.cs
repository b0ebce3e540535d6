using System.Net;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>Failed sign-ins lock a username for a while, doubling; unknown usernames lock the same way.</summary>
public sealed class LoginLockoutTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const int Failures = 5;
    private TestServerApp App => shared.App;

    [Fact]
    public async Task Five_failures_lock_the_account_for_five_minutes_then_ten_and_the_lockout_is_audited()
    {
        var staff = await App.CreateStaffAsync(Roles.Counselor);
        for (var i = 0; i < Failures; i++)
        {
            var status = i < Failures - 1 ? 401 : 429;
            await App.ExpectStatusAsync(status, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(staff.Username, "wrong password " + i));
        }

        // Locked: even the right password waits.
        using (var locked = await App.PostAsync("/api/auth/login", null, new LoginRequest(staff.Username, TestServerApp.Password)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single()), 290, 300);
            var problem = JsonDocument.Parse(await locked.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        }

        var audit = await App.Services.GetRequiredService<AuditLog>().ListAsync(staff.Id, 10);
        Assert.Contains(audit, r => r.Action == AuditActions.Lockout);

        App.Clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < Failures; i++)
        {
            await App.PostAsync("/api/auth/login", null, new LoginRequest(staff.Username, "wrong again " + i));
        }

        using (var longer = await App.PostAsync("/api/auth/login", null, new LoginRequest(staff.Username, TestServerApp.Password)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, longer.StatusCode);
            Assert.InRange(int.Parse(longer.Headers.GetValues("Retry-After").Single()), 590, 600);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(10));
        await App.ExpectStatusAsync(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(staff.Username, TestServerApp.Password));
    }

    [Fact]
    public async Task A_success_resets_the_count()
    {
        var staff = await App.CreateStaffAsync(Roles.Counselor);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < Failures - 1; i++)
            {
                await App.ExpectStatusAsync(401, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(staff.Username, "nearly " + i));
            }

            await App.ExpectStatusAsync(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest(staff.Username, TestServerApp.Password));
        }
    }

    [Fact]
    public async Task An_unknown_username_is_answered_exactly_like_a_known_one()
    {
        var staff = await App.CreateStaffAsync(Roles.Counselor);
        var unknown = "nobody." + Guid.NewGuid().ToString("N")[..8];
        var answers = new List<(int Known, int Unknown)>();
        for (var i = 0; i < Failures + 1; i++)
        {
            using var known = await App.PostAsync("/api/auth/login", null, new LoginRequest(staff.Username, "wrong " + i));
            using var nobody = await App.PostAsync("/api/auth/login", null, new LoginRequest(unknown, "wrong " + i));
            Assert.Equal(await Normalised(known), await Normalised(nobody));
            answers.Add(((int)known.StatusCode, (int)nobody.StatusCode));
        }

        Assert.Equal([401, 401, 401, 401, 429, 429], answers.Select(a => a.Unknown));
    }

    private static async Task<string> Normalised(HttpResponseMessage response)
    {
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return $"{(int)response.StatusCode} {problem.GetProperty("title")} {problem.GetProperty("detail")}";
    }
}

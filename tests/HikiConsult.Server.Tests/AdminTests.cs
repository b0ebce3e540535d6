using System.Net;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Health;

namespace HikiConsult.Server.Tests;

public sealed class AdminTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task An_admin_creates_accounts_that_can_sign_in()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var created = await App.ExpectAsync<UserAccountDto>(201, HttpMethod.Post, "/api/users", admin.Token,
            new CreateUserRequest("new.counselor", "New Counselor", Roles.Counselor, "a long enough password"));
        Assert.Equal(("new.counselor", "New Counselor", Roles.Counselor, false), (created.Username, created.DisplayName, created.Role, created.Disabled));

        var login = await App.ExpectAsync<LoginResponse>(200, HttpMethod.Post, "/api/auth/login", body: new LoginRequest("NEW.counselor", "a long enough password"));
        Assert.Equal(created.Id, login.User.Id);

        using var duplicate = await App.PostAsync("/api/users", admin.Token, new CreateUserRequest("new.counselor", "Again", Roles.Counselor, "a long enough password"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        using var list = await App.GetAsync("/api/users", admin.Token);
        var text = await list.Content.ReadAsStringAsync();
        Assert.Contains("new.counselor", text);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Invalid_accounts_are_refused_per_field()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        using var response = await App.PostAsync("/api/users", admin.Token, new CreateUserRequest("x", "", "client", "short"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["displayName", "password", "role", "username"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task The_admin_reads_the_audit_log_but_no_client_content()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var s = await Scenario.CreateAsync(App);
        await App.ExpectAsync<ClientDto>(200, HttpMethod.Get, $"/api/clients/{s.Client.Id}", s.Counselor.Token);

        var audit = await App.ExpectAsync<List<AuditEntry>>(200, HttpMethod.Get, $"/api/audit?targetId={s.Client.Id}", admin.Token);
        var read = Assert.Single(audit, a => a.Action == AuditActions.ClientRead);
        Assert.Equal(s.Counselor.Id, read.ActorId);

        using var raw = await App.GetAsync($"/api/audit?targetId={s.Client.Id}", admin.Token);
        Assert.DoesNotContain(s.Client.Alias, await raw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Runtime_figures_are_counters_that_two_readings_subtract()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var before = await App.ExpectAsync<RuntimeFiguresDto>(200, HttpMethod.Get, "/api/runtime", admin.Token);

        // The test server runs in this process: a collection here is one of the server's.
        var garbage = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            garbage.Add(new byte[16 * 1024]);
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var after = await App.ExpectAsync<RuntimeFiguresDto>(200, HttpMethod.Get, "/api/runtime", admin.Token);

        Assert.True(after.At >= before.At);
        Assert.True(after.AllocatedBytes - before.AllocatedBytes >= 64 * 16 * 1024, $"allocated {after.AllocatedBytes - before.AllocatedBytes} bytes");
        Assert.True(after.Gen0Collections > before.Gen0Collections);
        Assert.True(after.GcPauseMilliseconds >= before.GcPauseMilliseconds);
        Assert.True(after.CpuMilliseconds >= before.CpuMilliseconds);
        Assert.True(after.ThreadPoolCompletedWorkItems > before.ThreadPoolCompletedWorkItems);
        GC.KeepAlive(garbage);
    }
}

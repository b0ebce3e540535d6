using System.Net;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>Refusals are audited like reads, admins' reads of the audit log and accounts too, and the log cannot be changed.</summary>
public sealed class AuditDenialTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    private AuditLog Audit => App.Services.GetRequiredService<AuditLog>();

    [Fact]
    public async Task A_404_for_something_the_caller_may_not_see_is_audited()
    {
        var owner = await App.CreateStaffAsync(Roles.Counselor);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(owner.Token);

        await App.ExpectStatusAsync(404, HttpMethod.Get, $"/api/clients/{client.Id}", other.Token);
        Assert.Contains(await Audit.ListAsync(client.Id, 100), r => r.Action == AuditActions.Denied && r.ActorId == other.Id && r.TargetType == "GET /api/clients/{id}");

        // A role refusal (the admin endpoints for a counselor) is a 404 too, and audited.
        await App.ExpectStatusAsync(404, HttpMethod.Get, "/api/users", other.Token);
        Assert.Contains(await Audit.ListAsync("-", 1000), r => r.Action == AuditActions.Denied && r.ActorId == other.Id && r.TargetType == "GET /api/users");
    }

    [Fact]
    public async Task A_hub_join_refused_as_not_found_is_audited()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        await using var hub = await App.ConnectAsync(HubPaths.Counselor, other.Token);
        var error = await Assert.ThrowsAsync<HubException>(() => hub.JoinAsync(s.Session.Id));
        Assert.Contains("Session not found.", error.Message);
        var rows = await Audit.ListAsync(s.Session.Id, 100);
        Assert.Contains(rows, r => r.Action == AuditActions.Denied && r.ActorId == other.Id && r.TargetType == "hub JoinSession");
        Assert.DoesNotContain(rows, r => r.Action == AuditActions.SessionJoin && r.ActorId == other.Id);
    }

    [Fact]
    public async Task Admin_reads_of_the_audit_log_and_the_accounts_are_audited()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        await App.ExpectStatusAsync(200, HttpMethod.Get, "/api/users", admin.Token);
        await App.ExpectStatusAsync(200, HttpMethod.Get, "/api/audit?targetId=cl_nobody&limit=5", admin.Token);
        Assert.Contains(await Audit.ListAsync("*", 1000), r => r.Action == AuditActions.UsersRead && r.ActorId == admin.Id);
        Assert.Contains(await Audit.ListAsync("cl_nobody", 10), r => r.Action == AuditActions.AuditRead && r.ActorId == admin.Id);
    }

    [Fact]
    public async Task The_audit_log_is_append_only()
    {
        var admin = await App.CreateStaffAsync(Roles.Admin);
        await App.ExpectStatusAsync(200, HttpMethod.Get, "/api/users", admin.Token);
        var rows = (long)(await App.QueryScalarAsync("SELECT COUNT(*) FROM audit_log"))!;
        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => App.ExecuteAsync("UPDATE audit_log SET actor_id = 'someone else'"));
        Assert.Contains("append-only", update.Message);
        var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => App.ExecuteAsync("DELETE FROM audit_log"));
        Assert.Contains("append-only", delete.Message);
        Assert.True((long)(await App.QueryScalarAsync("SELECT COUNT(*) FROM audit_log"))! >= rows);
        Assert.Equal(0L, await App.QueryScalarAsync("SELECT COUNT(*) FROM audit_log WHERE actor_id = 'someone else'"));
    }

    [Fact]
    public async Task A_refused_token_is_challenged_with_the_error_code_only()
    {
        var staff = await App.CreateStaffAsync(Roles.Counselor);
        using var response = await App.GetAsync("/api/auth/me", staff.Token[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }
}

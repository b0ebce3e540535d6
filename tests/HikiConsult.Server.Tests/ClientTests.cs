using System.Net;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

public sealed class ClientTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task A_counselor_who_creates_a_client_is_assigned_and_sees_it()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        using var response = await App.PostAsync("/api/clients", counselor.Token, new CreateClientRequest("Hinata (fictional)", "ja", "Asia/Tokyo"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var client = JsonSerializer.Deserialize<ClientDto>(await response.Content.ReadAsStringAsync(), TestServerApp.Json)!;
        Assert.Equal($"/api/clients/{client.Id}", response.Headers.Location?.OriginalString);

        Assert.Equal(("Hinata (fictional)", "ja", "Asia/Tokyo", "active"), (client.Alias, client.Language, client.TimeZone, client.Status));
        Assert.Equal([counselor.Id], client.AssignedCounselorIds);
        Assert.Empty(client.Devices);

        var list = await App.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", counselor.Token);
        Assert.Equal([client.Id], list.Select(c => c.Id));
        var one = await App.ExpectAsync<ClientDto>(200, HttpMethod.Get, $"/api/clients/{client.Id}", counselor.Token);
        Assert.Equal(client.Alias, one.Alias);
    }

    [Fact]
    public async Task Language_and_time_zone_have_defaults()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.ExpectAsync<ClientDto>(201, HttpMethod.Post, "/api/clients", counselor.Token, new { alias = "Defaults (fictional)" });
        Assert.Equal(("en", "UTC"), (client.Language, client.TimeZone));
    }

    [Fact]
    public async Task Counselors_see_only_assigned_clients_supervisors_see_all_admins_none()
    {
        var a = await App.CreateStaffAsync(Roles.Counselor);
        var b = await App.CreateStaffAsync(Roles.Counselor);
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var ofA = await App.CreateClientAsync(a.Token, "Of A (fictional)");
        var ofB = await App.CreateClientAsync(b.Token, "Of B (fictional)");
        var bySupervisor = await App.CreateClientAsync(supervisor.Token, "Unassigned (fictional)");
        Assert.Empty(bySupervisor.AssignedCounselorIds);

        Assert.Equal([ofA.Id], (await App.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", a.Token)).Select(c => c.Id));
        Assert.Equal([ofB.Id], (await App.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", b.Token)).Select(c => c.Id));
        var all = (await App.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", supervisor.Token)).Select(c => c.Id).ToList();
        Assert.Superset(new HashSet<string> { ofA.Id, ofB.Id, bySupervisor.Id }, all.ToHashSet());

        using (var hidden = await App.GetAsync($"/api/clients/{ofB.Id}", a.Token))
        using (var missing = await App.GetAsync("/api/clients/cl_0000000000000000000000000000dead", a.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

            // Hidden and missing look the same apart from the trace id.
            var h = JsonDocument.Parse(await hidden.Content.ReadAsStringAsync()).RootElement;
            var m = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(h.GetProperty("title").GetString(), m.GetProperty("title").GetString());
            Assert.Equal(h.EnumerateObject().Select(p => p.Name).Order(), m.EnumerateObject().Select(p => p.Name).Order());
        }

        using var adminList = await App.GetAsync("/api/clients", admin.Token);
        using var adminGet = await App.GetAsync($"/api/clients/{ofA.Id}", admin.Token);
        Assert.Equal(HttpStatusCode.NotFound, adminList.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, adminGet.StatusCode);
    }

    [Fact]
    public async Task Invalid_clients_are_refused_with_the_field_named_and_nothing_is_created()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { alias = "", language = "en" }, "alias"),
                     (new { alias = new string('x', 65), language = "en" }, "alias"),
                     (new { alias = "Ok (fictional)", language = "english!" }, "language"),
                     (new { alias = "Ok (fictional)", language = "en", timeZone = "Mars/Olympus" }, "timeZone"),
                 })
        {
            using var response = await App.PostAsync("/api/clients", counselor.Token, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors.{field} expected: {problem}");
        }

        using var malformed = await App.PostAsync("/api/clients", counselor.Token, "{\"alias\": ");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("JSON", JsonDocument.Parse(await malformed.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());

        Assert.Empty(await App.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", counselor.Token));
    }

    [Fact]
    public async Task A_supervisor_assigns_a_counselor_who_then_sees_the_client()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        var client = await App.CreateClientAsync(supervisor.Token);
        using (var before = await App.GetAsync($"/api/clients/{client.Id}", counselor.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using (var byCounselor = await App.PostAsync($"/api/clients/{client.Id}/counselors", counselor.Token, new { userId = counselor.Id }))
        {
            Assert.Equal(HttpStatusCode.NotFound, byCounselor.StatusCode);
        }

        using (var notAUser = await App.PostAsync($"/api/clients/{client.Id}/counselors", supervisor.Token, new { userId = "us_nobody" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notAUser.StatusCode);
        }

        var assigned = await App.ExpectAsync<ClientDto>(200, HttpMethod.Post, $"/api/clients/{client.Id}/counselors", supervisor.Token, new { userId = counselor.Id });
        Assert.Equal([counselor.Id], assigned.AssignedCounselorIds);
        Assert.Equal([client.Id], (await App.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", counselor.Token)).Select(c => c.Id));
    }

    [Fact]
    public async Task Consents_are_recorded_with_when_and_by_whom()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var updated = await App.ExpectAsync<ClientDto>(200, HttpMethod.Post, $"/api/clients/{client.Id}/consents", counselor.Token, new { scope = "Sessions through a home robot" });
        var consent = Assert.Single(updated.Consents);
        Assert.Equal(("Sessions through a home robot", counselor.Id), (consent.Scope, consent.RecordedBy));
        Assert.Equal(App.Clock.GetUtcNow(), consent.GivenAt);

        using var empty = await App.PostAsync($"/api/clients/{client.Id}/consents", counselor.Token, new { scope = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Every_read_of_a_client_record_is_audited()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var audit = App.Services.GetRequiredService<AuditLog>();
        Assert.Empty(await audit.ListAsync(client.Id, 10));

        await App.ExpectAsync<ClientDto>(200, HttpMethod.Get, $"/api/clients/{client.Id}", counselor.Token);
        await App.ExpectAsync<List<ClientDto>>(200, HttpMethod.Get, "/api/clients", counselor.Token);

        var rows = await audit.ListAsync(client.Id, 10);
        Assert.Equal([AuditActions.ClientList, AuditActions.ClientRead], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal((counselor.Id, Roles.Counselor, "client"), (r.ActorId, r.ActorRole, r.TargetType)));

        // A refused read is not a read: it is audited as a denial.
        var other = await App.CreateStaffAsync(Roles.Counselor);
        using var hidden = await App.GetAsync($"/api/clients/{client.Id}", other.Token);
        var after = await audit.ListAsync(client.Id, 10);
        Assert.Equal(2, after.Count(r => r.Action != AuditActions.Denied));
        Assert.Equal(other.Id, Assert.Single(after, r => r.Action == AuditActions.Denied).ActorId);
    }
}

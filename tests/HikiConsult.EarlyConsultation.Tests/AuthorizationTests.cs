using System.Text.Json;
using HikiConsult.Contracts;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>
/// Who sees what: a counselor their assigned clients, a supervisor every client, an admin and devices no clinical
/// data; what may not be seen is 404 (never 403); every read of a client's clinical data is audited.
/// </summary>
public sealed class AuthorizationTests(SharedServer server) : IClassFixture<SharedServer>
{
    private TestServerApp App => server.App;

    private static readonly string[] ClientReads = ["assessments", "isolation-records", "biomarkers", "timeline", "alerts"];

    private static readonly (string Path, object Body)[] ClientWrites =
    [
        ("assessments", new { instrument = "gad7", answers = new int[7] }),
        ("isolation-records", new { estimatedMonthsOfContinuousIsolation = 4, daysOutOfHomePerWeek = 1, rarelyLeavesOneRoom = false, functionalImpairment = true, distress = true }),
        ("biomarkers", new { analyte = "arginine", value = 80.0, unit = "µmol/L", sex = "female", assay = "lab", date = "2026-01-02" }),
    ];

    [Fact]
    public async Task Only_the_clients_counselors_and_supervisors_read_its_records()
    {
        var s = await Scenario.CreateAsync(App);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var otherClient = await Scenario.CreateAsync(App);

        foreach (var read in ClientReads)
        {
            var path = $"/api/clients/{s.Client.Id}/{read}";
            await App.ExpectStatusAsync(200, HttpMethod.Get, path, s.Counselor.Token);
            await App.ExpectStatusAsync(200, HttpMethod.Get, path, supervisor.Token);
            await App.ExpectStatusAsync(404, HttpMethod.Get, path, other.Token);
            await App.ExpectStatusAsync(404, HttpMethod.Get, path, admin.Token);
            await App.ExpectStatusAsync(404, HttpMethod.Get, path, s.Device.AccessToken);
            await App.ExpectStatusAsync(404, HttpMethod.Get, path, otherClient.Device.AccessToken);
            await App.ExpectStatusAsync(401, HttpMethod.Get, path, null);
            await App.ExpectStatusAsync(404, HttpMethod.Get, $"/api/clients/cl_doesnotexist/{read}", s.Counselor.Token);
            await App.ExpectStatusAsync(404, HttpMethod.Get, $"/api/clients/..%2f/{read}", s.Counselor.Token);
        }

        foreach (var (write, body) in ClientWrites)
        {
            var path = $"/api/clients/{s.Client.Id}/{write}";
            await App.ExpectStatusAsync(404, HttpMethod.Post, path, other.Token, body);
            await App.ExpectStatusAsync(404, HttpMethod.Post, path, admin.Token, body);
            await App.ExpectStatusAsync(404, HttpMethod.Post, path, otherClient.Device.AccessToken, body);
            if (write != "assessments")
            {
                await App.ExpectStatusAsync(404, HttpMethod.Post, path, s.Device.AccessToken, body);
            }

            await App.ExpectStatusAsync(201, HttpMethod.Post, path, supervisor.Token, body);
        }

        Assert.Equal(3, await App.CountRowsAsync("clinical_records", s.Client.Id));
    }

    [Fact]
    public async Task Alerts_and_triage_are_for_clinicians_only()
    {
        await using var flow = await AlertFlow.RaiseAsync(App);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var other = await App.CreateStaffAsync(Roles.Counselor);
        foreach (var path in new[] { "/api/alerts", "/api/triage" })
        {
            await App.ExpectStatusAsync(404, HttpMethod.Get, path, admin.Token);
            await App.ExpectStatusAsync(404, HttpMethod.Get, path, flow.Scenario.Device.AccessToken);
            await App.ExpectStatusAsync(401, HttpMethod.Get, path, null);
        }

        Assert.Empty(await App.GetJsonAsync<List<RiskAlertDto>>("/api/alerts", other.Token));
        Assert.DoesNotContain((await App.GetJsonAsync<TriageQueueDto>("/api/triage", other.Token)).Entries, e => e.ClientId == flow.Scenario.Client.Id);
        Assert.Contains((await App.GetJsonAsync<TriageQueueDto>("/api/triage", flow.Scenario.Counselor.Token)).Entries, e => e.ClientId == flow.Scenario.Client.Id);
        await App.ExpectStatusAsync(400, HttpMethod.Get, "/api/alerts?status=everything", flow.Scenario.Counselor.Token);
    }

    [Fact]
    public async Task Every_read_of_a_clients_clinical_data_is_audited_by_id_only()
    {
        await using var flow = await AlertFlow.RaiseAsync(App);
        var s = flow.Scenario;
        var admin = await App.CreateStaffAsync(Roles.Admin);
        foreach (var read in ClientReads)
        {
            await App.ExpectStatusAsync(200, HttpMethod.Get, $"/api/clients/{s.Client.Id}/{read}", s.Counselor.Token);
        }

        await App.ExpectStatusAsync(200, HttpMethod.Get, "/api/alerts", s.Counselor.Token);
        await App.ExpectStatusAsync(200, HttpMethod.Get, "/api/triage", s.Counselor.Token);

        var audit = await App.GetJsonAsync<List<JsonElement>>($"/api/audit?targetId={s.Client.Id}&limit=1000", admin.Token);
        var actions = audit.Where(a => a.GetProperty("actorId").GetString() == s.Counselor.Id).Select(a => a.GetProperty("action").GetString()).ToList();
        foreach (var expected in new[] { "client.assessments", "client.isolation-records", "client.biomarkers", "client.timeline", "client.triage" })
        {
            Assert.Contains(expected, actions);
        }

        Assert.Equal(2, actions.Count(a => a == "client.alerts"));

        // A reader whose request is refused leaves no read behind, only the denial.
        var other = await App.CreateStaffAsync(Roles.Counselor);
        await App.ExpectStatusAsync(404, HttpMethod.Get, $"/api/clients/{s.Client.Id}/timeline", other.Token);
        audit = await App.GetJsonAsync<List<JsonElement>>($"/api/audit?targetId={s.Client.Id}&limit=1000", admin.Token);
        var byOther = audit.Where(a => a.GetProperty("actorId").GetString() == other.Id).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["denied"], byOther);
    }
}

using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Server.EarlyConsultation;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>
/// Keeps the "Early consultation" section of docs/protocol.md true: every example marked
/// <c>&lt;!-- ec-example: name --&gt;</c> has the shape (property names, nesting, value kinds) of what the server
/// really sends, or is accepted by it, and every early consultation endpoint and hub method is documented.
/// </summary>
public sealed class ProtocolSectionTests : IAsyncLifetime
{
    private static readonly Dictionary<string, Type> Requests = new()
    {
        ["assessments.submit.request"] = typeof(SubmitAssessmentRequest),
        ["isolation-records.submit.request"] = typeof(IsolationRecordRequest),
        ["biomarkers.submit.request"] = typeof(BiomarkerRequest),
    };

    private readonly TestServerApp _app = new();
    private readonly string _section = ProtocolDocument.Section(ProtocolDocument.Read(), "## Early consultation");

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_example_has_the_shape_of_the_real_thing()
    {
        var examples = ProtocolDocument.Examples(_section, "ec-example");
        var real = await CollectRealPayloadsAsync();
        if (Environment.GetEnvironmentVariable("HIKICONSULT_DUMP_EXAMPLES") is { Length: > 0 } dump)
        {
            await File.WriteAllTextAsync(dump, JsonSerializer.Serialize(real, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }

        ProtocolDocument.AssertExamplesMatch(examples, real, Requests);
    }

    [Fact]
    public async Task Every_early_consultation_endpoint_and_hub_method_is_documented()
    {
        var endpoints = await ProtocolDocument.EndpointsAsync(_app, tag => tag == "Early consultation");
        var count = endpoints.Count;
        var missing = ProtocolDocument.Undocumented(_section, endpoints);

        Assert.True(count >= 12, $"Only {count} early consultation endpoints in the OpenAPI document.");
        Assert.True(missing.Count == 0, "Endpoints not in the Early consultation section: " + string.Join(", ", missing));
        foreach (var method in typeof(EarlyConsultationHubMethods).GetFields().Select(f => (string)f.GetValue(null)!))
        {
            Assert.Contains($"`{method}", _section);
        }
    }

    private async Task<Dictionary<string, JsonElement>> CollectRealPayloadsAsync()
    {
        var real = new Dictionary<string, JsonElement>();
        async Task<JsonElement> Call(string name, int status, HttpMethod method, string path, string? token, object? body = null)
        {
            var element = await _app.ExpectAsync<JsonElement>(status, method, path, token, body);
            real[name] = element;
            return element;
        }

        var supervisor = await _app.CreateStaffAsync(Roles.Supervisor);
        await using var supervisorHub = await _app.ConnectAsync(HubPaths.Counselor, supervisor.Token);
        var s = await Scenario.CreateAsync(_app, "ja");
        var client = $"/api/clients/{s.Client.Id}";
        var token = s.Counselor.Token;

        await Call("assessments.submit.response", 201, HttpMethod.Post, $"{client}/assessments", token,
            new { instrument = "phq9", answers = new[] { 1, 2, 1, 1, 0, 1, 2, 0, 1 }, completedBy = "counselor" });
        await Call("assessments.problem", 400, HttpMethod.Post, $"{client}/assessments", token,
            new { instrument = "hq25", answers = new[] { 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, completedBy = "client" });
        await Call("assessments.list.response", 200, HttpMethod.Get, $"{client}/assessments", token);
        await Call("isolation-records.submit.response", 201, HttpMethod.Post, $"{client}/isolation-records", token,
            new { estimatedMonthsOfContinuousIsolation = 4, daysOutOfHomePerWeek = 1, rarelyLeavesOneRoom = false, functionalImpairment = true, distress = true, coOccurringConditions = new[] { "social anxiety" } });
        await Call("isolation-records.list.response", 200, HttpMethod.Get, $"{client}/isolation-records", token);
        await Call("biomarkers.submit.response", 201, HttpMethod.Post, $"{client}/biomarkers", token,
            new { analyte = "ornithine", value = 92.5, unit = "µmol/L", sex = "male", assay = "LC-MS/MS, research lab", date = "2026-01-15" });
        await Call("biomarkers.list.response", 200, HttpMethod.Get, $"{client}/biomarkers", token);

        await using var counselorHub = await _app.ConnectAsync(HubPaths.Counselor, token);
        await using var device = await _app.ConnectAsync(HubPaths.Avatar, s.Device.AccessToken);
        await counselorHub.JoinAsync(s.Session.Id);
        await device.JoinAsync(s.Session.Id);
        await counselorHub.SendTextAsync(s.Session.Id, "今週はどうでしたか？");
        var ack = await device.SendTextAsync(s.Session.Id, "もう死にたい");
        var alert = await counselorHub.WaitForRiskAlertAsync(a => a.Seq == ack.Seq);
        real["hub.push.risk-alert"] = JsonSerializer.SerializeToElement(alert.Value, TestServerApp.Json);
        var pushed = await counselorHub.WaitForTriageAsync(q => q.Entries.Any(e => e.Reasons.Any(r => r.Code == "RISK_ALERT_HIGH")));
        real["hub.push.triage-updated"] = JsonSerializer.SerializeToElement(pushed.Value, TestServerApp.Json);
        await Call("alerts.list.response", 200, HttpMethod.Get, "/api/alerts?status=open", token);
        await Call("triage.response", 200, HttpMethod.Get, "/api/triage", token);
        await Call("timeline.response", 200, HttpMethod.Get, $"{client}/timeline", token);

        var acknowledged = await counselorHub.AcknowledgeAsync(alert.Value.AlertId, "Called; safety plan agreed.");
        real["hub.acknowledge.response"] = JsonSerializer.SerializeToElement(acknowledged, TestServerApp.Json);
        var updated = await supervisorHub.WaitForAlertUpdateAsync(a => a.AlertId == alert.Value.AlertId);
        real["hub.push.alert-updated"] = JsonSerializer.SerializeToElement(updated.Value, TestServerApp.Json);
        await Call("alerts.history.response", 200, HttpMethod.Get, $"{client}/alerts", token);
        return real;
    }
}

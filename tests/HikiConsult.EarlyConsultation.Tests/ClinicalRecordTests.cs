using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Domain.Kato;
using HikiConsult.Grains.EarlyConsultation;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>Kato 2020 isolation records and research biomarker records over the REST API.</summary>
public sealed class ClinicalRecordTests(SharedServer server) : IClassFixture<SharedServer>
{
    private TestServerApp App => server.App;

    [Theory]
    [InlineData(4.0, 1, false, true, "preHikikomori", "moderate")]
    [InlineData(2.9, 0, false, true, "notMet", null)]
    [InlineData(3.0, 2, false, true, "preHikikomori", "mild")]
    [InlineData(6.0, 3, false, true, "hikikomori", "mild")]
    [InlineData(12.0, 4, false, true, "notMet", null)]
    [InlineData(24.0, 0, true, true, "hikikomori", "severe")]
    [InlineData(24.0, 0, false, false, "notMet", null)]
    public async Task An_isolation_record_is_classified_by_the_Kato_2020_criteria(double months, int daysOut, bool oneRoom, bool impairment, string status, string? severity)
    {
        var s = await Scenario.CreateAsync(App);
        var entry = await App.ExpectAsync<IsolationRecordEntry>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token, new
        {
            estimatedMonthsOfContinuousIsolation = months,
            daysOutOfHomePerWeek = daysOut,
            rarelyLeavesOneRoom = oneRoom,
            functionalImpairment = impairment,
            distress = false,
            coOccurringConditions = new[] { "social anxiety" },
        });
        Assert.Equal(status, JsonNamingPolicy.CamelCase.ConvertName(entry.Classification.Status.ToString()));
        Assert.Equal(severity, entry.Classification.Severity is { } sev ? JsonNamingPolicy.CamelCase.ConvertName(sev.ToString()) : null);
        Assert.Equal(["social anxiety"], entry.Classification.CoOccurringConditions);
        Assert.Contains("10.1002/wps.20705", entry.Classification.Source, StringComparison.Ordinal);
        Assert.Equal("Decision support, not a diagnosis", entry.Classification.Label);
        Assert.NotEmpty(entry.Classification.Reasons);

        var history = await App.GetJsonAsync<List<IsolationRecordEntry>>($"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token);
        Assert.Equal(entry.Id, Assert.Single(history).Id);
    }

    [Fact]
    public async Task Isolation_records_keep_their_history_and_feed_the_timeline()
    {
        var s = await Scenario.CreateAsync(App);
        await App.ExpectAsync<IsolationRecordEntry>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token,
            new { estimatedMonthsOfContinuousIsolation = 4, daysOutOfHomePerWeek = 1, rarelyLeavesOneRoom = false, functionalImpairment = true, distress = true, coOccurringConditions = Array.Empty<string>() });
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await App.ExpectAsync<IsolationRecordEntry>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token,
            new { estimatedMonthsOfContinuousIsolation = 7, daysOutOfHomePerWeek = 1, rarelyLeavesOneRoom = false, functionalImpairment = true, distress = true });
        Assert.Equal(KatoStatus.Hikikomori, second.Classification.Status);

        var history = await App.GetJsonAsync<List<IsolationRecordEntry>>($"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token);
        Assert.Equal(2, history.Count);
        var timeline = await App.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
        Assert.Equal(["preHikikomori", "hikikomori"], timeline.GetProperty("katoHistory").EnumerateArray().Select(k => k.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("""{"estimatedMonthsOfContinuousIsolation":4,"daysOutOfHomePerWeek":9,"rarelyLeavesOneRoom":false,"functionalImpairment":true,"distress":true,"coOccurringConditions":[]}""", "daysOutOfHomePerWeek must be 0-7")]
    [InlineData("""{"estimatedMonthsOfContinuousIsolation":-1,"daysOutOfHomePerWeek":1,"rarelyLeavesOneRoom":false,"functionalImpairment":true,"distress":true}""", "estimatedMonthsOfContinuousIsolation must be 0 or more")]
    [InlineData("""{"estimatedMonthsOfContinuousIsolation":4,"daysOutOfHomePerWeek":3,"rarelyLeavesOneRoom":true,"functionalImpairment":true,"distress":true}""", "rarelyLeavesOneRoom contradicts")]
    [InlineData("""{"daysOutOfHomePerWeek":1,"rarelyLeavesOneRoom":false,"functionalImpairment":true,"distress":true}""", "estimatedMonthsOfContinuousIsolation")]
    [InlineData("""{"estimatedMonthsOfContinuousIsolation":4,"daysOutOfHomePerWeek":1,"rarelyLeavesOneRoom":false,"distress":true}""", "functionalImpairment")]
    public async Task An_invalid_isolation_record_gets_a_400_and_nothing_is_kept(string body, string expected)
    {
        var s = await Scenario.CreateAsync(App);
        var text = await App.ExpectStatusAsync(400, HttpMethod.Post, $"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token, body);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Empty(await App.GetJsonAsync<List<IsolationRecordEntry>>($"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token));
        Assert.Equal(0, await App.CountRowsAsync("clinical_records", s.Client.Id));
    }

    [Fact]
    public async Task Biomarker_records_are_research_data_with_their_citation()
    {
        var s = await Scenario.CreateAsync(App);
        var entry = await App.ExpectAsync<BiomarkerEntry>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/biomarkers", s.Counselor.Token,
            new { analyte = "Ornithine", value = 92.5, unit = "µmol/L", sex = "male", assay = "LC-MS/MS, research lab", date = "2026-01-15" });
        Assert.Equal("ornithine", entry.Record.Analyte);
        Assert.Equal("Research data, not diagnostic", entry.Label);
        Assert.Contains("10.1080/19585969.2022.2046978", entry.Source, StringComparison.Ordinal);
        Assert.Contains("not externally validated", entry.Caveat, StringComparison.Ordinal);
        Assert.Contains("men", entry.Finding, StringComparison.Ordinal);

        var listed = Assert.Single(await App.GetJsonAsync<List<BiomarkerEntry>>($"/api/clients/{s.Client.Id}/biomarkers", s.Counselor.Token));
        Assert.Equal(entry.Id, listed.Id);
        Assert.Equal("Research data, not diagnostic", listed.Label);
    }

    [Theory]
    [InlineData("""{"analyte":"cortisol","value":1,"unit":"nmol/L","sex":"female","assay":"lab","date":"2026-01-01"}""", "analyte 'cortisol' is not one of")]
    [InlineData("""{"analyte":"arginine","value":-3,"unit":"µmol/L","sex":"female","assay":"lab","date":"2026-01-01"}""", "value must be 0 or more")]
    [InlineData("""{"analyte":"arginine","value":3,"unit":"µmol/L","sex":"robot","assay":"lab","date":"2026-01-01"}""", "female, male, other, unknown")]
    [InlineData("""{"analyte":"arginine","value":3,"unit":"µmol/L","sex":"female","assay":"lab","date":"01/02/2026"}""", "yyyy-MM-dd")]
    [InlineData("""{"analyte":"arginine","value":3,"unit":"µmol/L","sex":"female","assay":"lab","date":"2099-01-01"}""", "is in the future")]
    [InlineData("""{"analyte":"arginine","unit":"µmol/L","sex":"female","assay":"lab","date":"2026-01-01"}""", "value")]
    public async Task An_invalid_biomarker_record_gets_a_400_and_nothing_is_kept(string body, string expected)
    {
        var s = await Scenario.CreateAsync(App);
        var text = await App.ExpectStatusAsync(400, HttpMethod.Post, $"/api/clients/{s.Client.Id}/biomarkers", s.Counselor.Token, body);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Equal(0, await App.CountRowsAsync("clinical_records", s.Client.Id));
    }

    [Fact]
    public async Task Biomarkers_are_never_a_triage_input()
    {
        var s = await Scenario.CreateAsync(App);
        await using var hub = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        foreach (var analyte in new[] { "ornithine", "arginine", "bilirubin", "arginaseActivity", "longChainAcylcarnitines" })
        {
            await App.ExpectAsync<BiomarkerEntry>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/biomarkers", s.Counselor.Token,
                new { analyte, value = 1000.0, unit = "µmol/L", sex = "male", assay = "research lab", date = "2026-01-15" });
        }

        // A signal that does count, as a sentinel for the triage update.
        await App.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token,
            new { instrument = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1 } });
        var pushed = await hub.WaitForTriageAsync(q => q.Entries.Any(e => e.ClientId == s.Client.Id));
        var entry = Assert.Single(pushed.Value.Entries);
        Assert.Equal(["PHQ9_ITEM9"], entry.Reasons.Select(r => r.Code));
        Assert.Equal(80, entry.Score);
    }
}

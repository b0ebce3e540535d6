using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.EarlyConsultation;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>Clinic configuration: cut-offs and weights take effect; invalid values stop the start with the problem named.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task A_clinic_cut_off_and_triage_weights_are_used()
    {
        await using var app = new TestServerApp(new()
        {
            ["EarlyConsultation:Instruments:Cutoffs:hq25"] = "44",
            ["Triage:Phq9Item9PerPoint"] = "55",
        }).Start();
        var s = await Scenario.CreateAsync(app);
        var definition = await app.GetJsonAsync<JsonElement>("/api/instruments/hq25", s.Counselor.Token);
        Assert.Equal(44, definition.GetProperty("cutoff").GetProperty("default").GetInt32());

        // 43 is at or above the published 42 but below this clinic's 44.
        // Reverse items answered 4 score 0; ten other items at 4 and one at 3 make 43.
        var reverse = new[] { 4, 7, 10, 15, 21, 25 };
        var others = Enumerable.Range(1, 25).Except(reverse).ToArray();
        var answers = Enumerable.Range(1, 25).Select(n => reverse.Contains(n) ? 4 : Array.IndexOf(others, n) < 10 ? 4 : Array.IndexOf(others, n) == 10 ? 3 : 0).ToArray();
        var hq25 = await app.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token, new { instrument = "hq25", answers });
        Assert.Equal(43, hq25.Total);
        Assert.Equal(44, hq25.Cutoff);
        Assert.Equal("belowCutoff", hq25.Band);

        await app.ExpectStatusAsync(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token,
            new { instrument = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 2 } });
        var entry = Assert.Single((await app.GetJsonAsync<TriageQueueDto>("/api/triage", s.Counselor.Token)).Entries);
        Assert.Equal(110, Assert.Single(entry.Reasons, r => r.Code == "PHQ9_ITEM9").Weight);
    }

    [Theory]
    [InlineData("Triage:CriticalPriority", "-5", "CriticalPriority")]
    [InlineData("EarlyConsultation:AlertAcknowledgeTimeout", "00:00:00", "AlertAcknowledgeTimeout")]
    [InlineData("EarlyConsultation:Instruments:Cutoffs:hq25", "101", "outside the total range")]
    public async Task Invalid_configuration_stops_the_start_with_the_problem_named(string key, string value, string named)
    {
        await using var app = new TestServerApp(new() { [key] = value });
        var failure = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }
}

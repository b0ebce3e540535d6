using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.EarlyConsultation.Tests.Infrastructure;
using HikiConsult.Grains.EarlyConsultation;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>Instrument definitions and assessments over the REST API, from clinicians and from the client's own devices.</summary>
public sealed class AssessmentTests(SharedServer server) : IClassFixture<SharedServer>
{
    private TestServerApp App => server.App;

    [Fact]
    public async Task The_instrument_definitions_are_served_for_forms()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var definitions = await App.GetJsonAsync<List<JsonElement>>("/api/instruments", counselor.Token);
        Assert.Equal(["hq25", "hq25m", "phq9", "gad7", "lsns6", "cssrs-screener"], definitions.Select(d => d.GetProperty("id").GetString()));

        var hq25 = definitions[0];
        Assert.Equal([4, 7, 10, 15, 21, 25], hq25.GetProperty("reverseItems").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(25, hq25.GetProperty("items").GetArrayLength());
        Assert.Equal(42, hq25.GetProperty("cutoff").GetProperty("default").GetInt32());
        Assert.Contains("10.1111/pcn.12691", hq25.GetProperty("source").GetRawText(), StringComparison.Ordinal);
        Assert.True(hq25.GetProperty("decisionSupport").GetBoolean());

        // A paired device needs them too, for self-report forms.
        var s = await Scenario.CreateAsync(App, counselor: counselor);
        var one = await App.GetJsonAsync<JsonElement>("/api/instruments/phq9", s.Device.AccessToken);
        Assert.Equal(9, one.GetProperty("items").GetArrayLength());
        await App.ExpectStatusAsync(404, HttpMethod.Get, "/api/instruments/nope", counselor.Token);
        await App.ExpectStatusAsync(401, HttpMethod.Get, "/api/instruments", null);
    }

    [Fact]
    public async Task A_valid_assessment_is_scored_kept_and_listed()
    {
        var s = await Scenario.CreateAsync(App);
        var phq9 = await App.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token,
            new { instrument = "phq9", answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, completedBy = "counselor" });
        Assert.Equal(9, phq9.Total);
        Assert.Equal("mild", phq9.Band);
        Assert.Contains(phq9.Flags, f => f.Code == "PHQ9_ITEM9_SAFETY");
        Assert.Contains("Kroenke", phq9.Source, StringComparison.Ordinal);
        Assert.Equal("Decision support, not a diagnosis", phq9.Label);
        Assert.Equal("counselor", phq9.CompletedBy);
        Assert.Equal(s.Counselor.Id, phq9.RecordedBy);

        // HQ-25, all answered 0: only the six reverse items score (4 each).
        var hq25 = await App.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token,
            new { instrument = "hq25", answers = new int[25], completedBy = "client" });
        Assert.Equal(24, hq25.Total);
        Assert.Equal("belowCutoff", hq25.Band);
        Assert.Equal(42, hq25.Cutoff);
        Assert.Equal(24, hq25.Subscales.Values.Sum());
        Assert.Equal(["socialization", "isolation", "emotionalSupport"], hq25.Subscales.Keys);

        // C-SSRS: Q2 yes opens Q3-Q5; Q4 yes is high.
        var cssrs = await App.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token,
            new { instrument = "cssrs-screener", answers = new int?[] { 1, 1, 0, 1, 0, 0 } });
        Assert.Null(cssrs.Total);
        Assert.Equal("high", cssrs.Band);
        Assert.Contains(cssrs.Flags, f => f.Code == "CSSRS_HIGH");
        Assert.Equal("counselor", cssrs.CompletedBy);

        var history = await App.GetJsonAsync<List<AssessmentRecord>>($"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token);
        Assert.Equal([cssrs.Id, hq25.Id, phq9.Id], history.Select(h => h.Id));
        Same.Json(phq9, history[2]);
    }

    public static TheoryData<string, string, string> InvalidAnswers => new()
    {
        { "hq25", """[0,0,0,0,0,0,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]""", "item 7: answer 5 is outside 0-4" },
        { "phq9", """[0,0,0,0,0,0,0,0]""", "expected 9 answers" },
        { "phq9", """[0,0,"two",0,0,0,0,0,0]""", "item 3: answer must be a whole number or null" },
        { "phq9", """[0,0,1.5,0,0,0,0,0,0]""", "item 3: answer must be a whole number or null" },
        { "gad7", """[0,0,0,null,0,0,0]""", "item 4: answer missing" },
        { "cssrs-screener", """[1,0,1,0,0,0]""", "item 3: must be left empty" },
        { "lsns6", """{"1":0}""", "'answers' must be an array" },
    };

    [Theory]
    [MemberData(nameof(InvalidAnswers))]
    public async Task Invalid_answers_get_a_400_naming_the_item_and_nothing_is_kept(string instrument, string answers, string expected)
    {
        var s = await Scenario.CreateAsync(App);
        var body = $$"""{"instrument":"{{instrument}}","answers":{{answers}},"completedBy":"counselor"}""";
        var problem = JsonDocument.Parse(await App.ExpectStatusAsync(400, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token, body)).RootElement;
        Assert.Contains(expected, problem.GetProperty("errors").GetProperty("answers")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());

        Assert.Empty(await App.GetJsonAsync<List<AssessmentRecord>>($"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token));
        Assert.Equal(0, await App.CountRowsAsync("clinical_records", s.Client.Id));
    }

    [Theory]
    [InlineData("""{"instrument":"phq10","answers":[0]}""", "instrument")]
    [InlineData("""{"answers":[0]}""", "instrument")]
    [InlineData("""{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,0],"completedBy":"neighbour"}""", "completedBy")]
    public async Task Unknown_instruments_and_completers_are_refused(string body, string field)
    {
        var s = await Scenario.CreateAsync(App);
        var problem = JsonDocument.Parse(await App.ExpectStatusAsync(400, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token, body)).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await App.CountRowsAsync("clinical_records", s.Client.Id));
    }

    [Fact]
    public async Task A_device_self_reports_for_its_own_client_only()
    {
        var s = await Scenario.CreateAsync(App);
        var family = await App.PairDeviceAsync(s.Counselor.Token, s.Client.Id, DeviceKinds.Family);
        var answers = new[] { 0, 1, 0, 1, 0, 1, 0 };

        // The avatar app's report is the client's own, whatever the body says.
        var own = await App.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Device.AccessToken,
            new { instrument = "gad7", answers, completedBy = "counselor" });
        Assert.Equal("client", own.CompletedBy);
        Assert.Equal(s.Device.DeviceId, own.RecordedBy);
        Assert.Equal(3, own.Total);

        var byFamily = await App.ExpectAsync<AssessmentRecord>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", family.AccessToken,
            new { instrument = "gad7", answers });
        Assert.Equal("family", byFamily.CompletedBy);

        // Another client: not found, and nothing kept there.
        var other = await Scenario.CreateAsync(App);
        await App.ExpectStatusAsync(404, HttpMethod.Post, $"/api/clients/{other.Client.Id}/assessments", s.Device.AccessToken, new { instrument = "gad7", answers });
        await App.ExpectStatusAsync(404, HttpMethod.Post, $"/api/clients/{other.Client.Id}/assessments", family.AccessToken, new { instrument = "gad7", answers });
        Assert.Equal(0, await App.CountRowsAsync("clinical_records", other.Client.Id));

        // A device submits; it does not read the clinical record.
        await App.ExpectStatusAsync(404, HttpMethod.Get, $"/api/clients/{s.Client.Id}/assessments", s.Device.AccessToken);

        var history = await App.GetJsonAsync<List<AssessmentRecord>>($"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token);
        Assert.Equal(["family", "client"], history.Select(h => h.CompletedBy));
    }
}

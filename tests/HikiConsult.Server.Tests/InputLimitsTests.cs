using System.Net;
using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Server.Tests;

/// <summary>Every string and list a client sends is bounded; an over-long or mistyped value is a 400 naming its field.</summary>
public sealed class InputLimitsTests(SharedServer shared, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task Every_string_field_of_every_body_in_the_OpenAPI_document_is_bounded_and_named()
    {
        var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
        var admin = await App.CreateStaffAsync(Roles.Admin);
        var client = await App.CreateClientAsync(supervisor.Token);
        var session = await App.CreateSessionAsync(supervisor.Token, client.Id);
        var openApi = await App.GetJsonAsync<JsonElement>("/openapi/v1.json", token: null);
        var schemas = openApi.GetProperty("components").GetProperty("schemas");
        var overLong = new string('x', 20_000);
        var checkedFields = new List<string>();
        var failures = new List<string>();

        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("requestBody", out var requestBody)
                    || !requestBody.GetProperty("content").TryGetProperty("application/json", out var content))
                {
                    continue;
                }

                var schema = Resolve(content.GetProperty("schema"), schemas);
                var admins = operation.Value.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => t.GetString() == "Admin");
                var url = path.Name.Replace("{id}", path.Name.StartsWith("/api/sessions", StringComparison.Ordinal) ? session.Id : client.Id, StringComparison.Ordinal);
                foreach (var property in schema.GetProperty("properties").EnumerateObject())
                {
                    var value = Resolve(property.Value, schemas);
                    object? body = IsType(value, "string") ? overLong
                        : IsType(value, "array") && value.TryGetProperty("items", out var items) && IsType(Resolve(items, schemas), "string") ? new[] { overLong }
                        : null;
                    if (body is null)
                    {
                        continue;
                    }

                    var name = $"{operation.Name.ToUpperInvariant()} {path.Name} {property.Name}";
                    checkedFields.Add(name);
                    using var response = await App.SendAsync(new HttpMethod(operation.Name.ToUpperInvariant()), url, admins ? admin.Token : supervisor.Token,
                        new Dictionary<string, object> { [property.Name] = body });
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                        || !JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var errors) || !errors.TryGetProperty(property.Name, out _))
                    {
                        failures.Add($"{name}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
                    }
                }
            }
        }

        output.WriteLine($"OpenAPI walk: {checkedFields.Count} string fields, {failures.Count} failures: {string.Join(", ", checkedFields)}");
        Assert.Empty(failures);

        // Every body with strings of the API: clients, pairing, consents, counselors, login, users, sessions, records, assessments.
        Assert.True(checkedFields.Count >= 20, $"Only {checkedFields.Count} string fields found: {string.Join(", ", checkedFields)}");
        Assert.Contains("POST /api/clients/{id}/isolation-records coOccurringConditions", checkedFields);
    }

    [Fact]
    public async Task A_huge_body_is_refused_before_it_is_read_and_nothing_is_kept()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var huge = $$"""{"estimatedMonthsOfContinuousIsolation":4,"daysOutOfHomePerWeek":1,"rarelyLeavesOneRoom":false,"functionalImpairment":true,"distress":true,"coOccurringConditions":["{{new string('a', 2_000_000)}}"]}""";
        using var response = await App.PostAsync($"/api/clients/{client.Id}/isolation-records", counselor.Token, huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await App.GetJsonAsync<List<JsonElement>>($"/api/clients/{client.Id}/isolation-records", counselor.Token));
    }

    [Fact]
    public async Task Lists_are_bounded_in_count_and_in_each_item()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var record = new Dictionary<string, object>
        {
            ["estimatedMonthsOfContinuousIsolation"] = 4, ["daysOutOfHomePerWeek"] = 1, ["rarelyLeavesOneRoom"] = false,
            ["functionalImpairment"] = true, ["distress"] = true,
            ["coOccurringConditions"] = Enumerable.Range(0, InputLimits.MaxConditions + 1).Select(i => $"condition {i}").ToArray(),
        };
        var problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, $"/api/clients/{client.Id}/isolation-records", counselor.Token, record);
        Assert.Contains($"more than {InputLimits.MaxConditions}", problem.GetProperty("errors").GetProperty("coOccurringConditions")[0].GetString());

        record["coOccurringConditions"] = new[] { new string('a', InputLimits.MaxCondition + 1) };
        problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, $"/api/clients/{client.Id}/isolation-records", counselor.Token, record);
        Assert.True(problem.GetProperty("errors").TryGetProperty("coOccurringConditions", out _));

        record["coOccurringConditions"] = new[] { "social anxiety" };
        await App.ExpectStatusAsync(201, HttpMethod.Post, $"/api/clients/{client.Id}/isolation-records", counselor.Token, record);
        Assert.Single(await App.GetJsonAsync<List<JsonElement>>($"/api/clients/{client.Id}/isolation-records", counselor.Token));
    }

    [Fact]
    public async Task A_password_longer_than_the_bound_is_refused_before_hashing()
    {
        var problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, "/api/auth/login", body: new LoginRequest("someone", new string('p', InputLimits.MaxPassword + 1)));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
        var admin = await App.CreateStaffAsync(Roles.Admin);
        problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, "/api/users", admin.Token,
            new { username = "long.password", displayName = "Long", role = Roles.Counselor, password = new string('p', InputLimits.MaxPassword + 1) });
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Theory]
    [InlineData("""{"alias":123}""", "alias", "must be a string")]
    [InlineData("""{"alias":"ok","language":["en"]}""", "language", "must be a string")]
    [InlineData("""{"alias":"ok","timeZone":{"a":1}}""", "timeZone", "must be a string")]
    [InlineData("""{"alias":"a\ud800b"}""", "alias", "unpaired surrogate")]
    [InlineData("{ nope }", "body", "not valid JSON")]
    public async Task A_body_of_the_wrong_shape_names_its_field(string body, string field, string message)
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, "/api/clients", counselor.Token, body);
        var errors = problem.GetProperty("errors");
        Assert.Contains(message, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_or_length_names_its_parameter()
    {
        var s = await Scenario.CreateAsync(App);
        var problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events?afterSeq=abc", s.Counselor.Token);
        Assert.Contains("whole number", problem.GetProperty("errors").GetProperty("afterSeq")[0].GetString());

        problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Get, $"/api/alerts?status={new string('o', InputLimits.MaxQueryValue + 1)}", s.Counselor.Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));

        problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events?afterSeq=%1B", s.Counselor.Token);
        Assert.Contains("control character", problem.GetProperty("errors").GetProperty("afterSeq")[0].GetString());
    }

    [Fact]
    public async Task Hub_string_arguments_are_bounded_and_named()
    {
        var s = await Scenario.CreateAsync(App);
        await using var counselor = await App.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        var error = await Assert.ThrowsAsync<HubException>(() => counselor.JoinAsync(new string('s', 10_000)));
        Assert.Contains("'sessionId' is longer than", error.Message);

        await counselor.JoinAsync(s.Session.Id);
        var before = await App.CountEventsAsync(s.Session.Id);
        error = await Assert.ThrowsAsync<HubException>(() => counselor.SendTextAsync(s.Session.Id, "hello", clientMsgId: new string('c', 1_000)));
        Assert.Contains("'clientMsgId' is longer than", error.Message);

        error = await Assert.ThrowsAsync<HubException>(() => counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "note\u001b[2J"));
        Assert.Contains("'note' may not contain the control character U+001B", error.Message);

        // Nothing stored; the connection still works.
        Assert.Equal(before, await App.CountEventsAsync(s.Session.Id));
        Assert.Equal(before + 1, (await counselor.SendTextAsync(s.Session.Id, "still here")).Seq);
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        // A nullable reference: oneOf/anyOf of null and the type.
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                foreach (var option in options.EnumerateArray())
                {
                    if (!IsType(option, "null"))
                    {
                        return Resolve(option, schemas);
                    }
                }
            }
        }

        return schema;
    }

    private static bool IsType(JsonElement schema, string type) =>
        schema.TryGetProperty("type", out var t)
        && (t.ValueKind == JsonValueKind.String ? t.GetString() == type : t.ValueKind == JsonValueKind.Array && t.EnumerateArray().Any(x => x.GetString() == type));
}

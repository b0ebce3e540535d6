using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HikiConsult.Server.Tests;

/// <summary>
/// web/openapi/v1.json is the served OpenAPI document, so that the web build generates the pages' contract types
/// from what the server really sends. After a contract change: HIKICONSULT_UPDATE_OPENAPI=1 and run this test again.
/// </summary>
public sealed class OpenApiDocumentTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task The_committed_document_is_the_served_one()
    {
        using var response = await shared.App.GetAsync("/openapi/v1.json", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        var path = CommittedPath();

        if (Environment.GetEnvironmentVariable("HIKICONSULT_UPDATE_OPENAPI") is "1" or "true")
        {
            await File.WriteAllTextAsync(path, served);
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "";
        Assert.True(committed == served, $"{path} is not the served OpenAPI document: run this test with HIKICONSULT_UPDATE_OPENAPI=1, then `npm run contract` in web/.");
    }

    [Fact]
    public async Task Fixed_sets_are_enumerations_in_the_document()
    {
        using var response = await shared.App.GetAsync("/openapi/v1.json", null);
        var schemas = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("components").GetProperty("schemas");

        Assert.Equal(
            ["counselor", "supervisor", "admin", "client", "family"],
            Enumeration(schemas.GetProperty("UserInfo").GetProperty("properties").GetProperty("role")));
        Assert.Equal(
            ["scheduled", "waiting", "active", "ended", "cancelled", "noShow"],
            Enumeration(schemas.GetProperty("SessionDto").GetProperty("properties").GetProperty("state")));
    }

    private static string[] Enumeration(JsonElement schema) => [.. schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

    private static string CommittedPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HikiConsult.sln")))
            {
                return Path.Combine(dir.FullName, "web", "openapi", "v1.json");
            }
        }

        throw new DirectoryNotFoundException("HikiConsult.sln was not found above the test's directory.");
    }
}

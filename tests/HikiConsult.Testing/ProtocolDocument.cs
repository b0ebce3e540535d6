using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace HikiConsult.Testing;

/// <summary>
/// docs/protocol.md and its marked examples (<c>&lt;!-- marker: name --&gt;</c> before a json block), checked
/// against what the server really sends: same property names, nesting and value kinds, not the same values.
/// </summary>
public static class ProtocolDocument
{
    /// <summary>The whole of docs/protocol.md, found above the test's directory.</summary>
    public static string Read()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "protocol.md");
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }

        throw new FileNotFoundException("docs/protocol.md was not found above the test's directory.");
    }

    /// <summary>A top-level section, from its heading (e.g. "## Early consultation") to the next one.</summary>
    public static string Section(string document, string heading)
    {
        var start = document.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/protocol.md has no '{heading}' section.");
        var end = document.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? document[start..] : document[start..end];
    }

    /// <summary>The examples marked <c>&lt;!-- <paramref name="marker"/>: name --&gt;</c>, by name; each name once.</summary>
    public static Dictionary<string, JsonElement> Examples(string markdown, string marker)
    {
        var block = new Regex($@"<!-- {Regex.Escape(marker)}: (?<name>[^\s]+) -->\s*```json\s*\n(?<json>.*?)```", RegexOptions.Singleline);
        var examples = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (Match match in block.Matches(markdown))
        {
            var name = match.Groups["name"].Value;
            Assert.False(examples.ContainsKey(name), $"Example '{name}' appears twice.");
            try
            {
                examples[name] = JsonDocument.Parse(match.Groups["json"].Value).RootElement.Clone();
            }
            catch (JsonException ex)
            {
                Assert.Fail($"Example '{name}' is not valid JSON: {ex.Message}");
            }
        }

        Assert.NotEmpty(examples);
        return examples;
    }

    /// <summary>
    /// The server's endpoints (as "GET /api/...", as the document's headings name them) with a tag that
    /// <paramref name="ours"/> accepts, read from its OpenAPI document.
    /// </summary>
    public static async Task<List<string>> EndpointsAsync(TestServerApp app, Func<string, bool> ours)
    {
        var openApi = await app.GetJsonAsync<JsonElement>("/openapi/v1.json", token: null);
        var endpoints = new List<string>();
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var tags = operation.Value.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
                if (tags.Any(ours))
                {
                    endpoints.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                }
            }
        }

        return endpoints;
    }

    /// <summary>The endpoints that <paramref name="markdown"/> has no heading for (<c>`GET /api/...</c>).</summary>
    public static List<string> Undocumented(string markdown, IEnumerable<string> endpoints) =>
        endpoints.Where(e => !markdown.Contains($"`{e}", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Every example is known (a real payload, a request, or one of <paramref name="alsoKnown"/>), every real payload
    /// and request has one, every payload's example has its shape, and no request example has a field its type lacks.
    /// </summary>
    public static void AssertExamplesMatch(
        IReadOnlyDictionary<string, JsonElement> examples,
        IReadOnlyDictionary<string, JsonElement> real,
        IReadOnlyDictionary<string, Type> requests,
        IEnumerable<string>? alsoKnown = null)
    {
        var unknown = examples.Keys.Except(real.Keys).Except(requests.Keys).Except(alsoKnown ?? []).ToList();
        Assert.True(unknown.Count == 0, "Examples the test does not know: " + string.Join(", ", unknown));
        var undocumented = real.Keys.Concat(requests.Keys).Except(examples.Keys).ToList();
        Assert.True(undocumented.Count == 0, "Payloads without an example: " + string.Join(", ", undocumented));

        foreach (var (name, payload) in real)
        {
            var mismatch = Mismatch(examples[name], payload, "$");
            Assert.True(mismatch is null, $"Example '{name}' does not match the server: {mismatch}\nServer sent: {payload}");
        }

        foreach (var (name, type) in requests)
        {
            var properties = type.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();
            var extra = examples[name].EnumerateObject().Select(p => p.Name).Where(n => !properties.Contains(n)).ToList();
            Assert.True(extra.Count == 0, $"Example '{name}' has fields {string.Join(", ", extra)} that {type.Name} does not have.");
        }
    }

    /// <summary>Null when the example has the shape of the real payload; otherwise where and how it differs.</summary>
    private static string? Mismatch(JsonElement example, JsonElement real, string path)
    {
        if (example.ValueKind == JsonValueKind.Null || real.ValueKind == JsonValueKind.Null)
        {
            return null; // nullable fields: either side may be null
        }

        static string Kind(JsonValueKind k) => k is JsonValueKind.True or JsonValueKind.False ? "boolean" : k.ToString();
        if (Kind(example.ValueKind) != Kind(real.ValueKind))
        {
            return $"{path}: example is {Kind(example.ValueKind)}, server sent {Kind(real.ValueKind)}";
        }

        switch (example.ValueKind)
        {
            case JsonValueKind.Object:
                var documented = example.EnumerateObject().Select(p => p.Name).ToHashSet();
                var sent = real.EnumerateObject().Select(p => p.Name).ToHashSet();
                if (!documented.SetEquals(sent))
                {
                    return $"{path}: example has [{string.Join(", ", documented.Order())}], server sent [{string.Join(", ", sent.Order())}]";
                }

                return example.EnumerateObject()
                    .Select(p => Mismatch(p.Value, real.GetProperty(p.Name), $"{path}.{p.Name}"))
                    .FirstOrDefault(m => m is not null);
            case JsonValueKind.Array:
                var candidates = real.EnumerateArray().ToList();
                if (candidates.Count == 0)
                {
                    return example.GetArrayLength() == 0 ? null : $"{path}: example has items, the server sent none (give the test data that fills it)";
                }

                var i = 0;
                foreach (var item in example.EnumerateArray())
                {
                    // Arrays mix shapes (events of several kinds): each documented item must match one real item.
                    var errors = candidates.Select(c => Mismatch(item, c, $"{path}[{i}]")).ToList();
                    if (errors.All(e => e is not null))
                    {
                        return errors[0];
                    }

                    i++;
                }

                return null;
            default:
                return null;
        }
    }
}

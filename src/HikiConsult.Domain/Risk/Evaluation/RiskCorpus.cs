using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HikiConsult.Domain.Risk.Evaluation;

/// <summary>What a risk message in the evaluation corpus is about.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<CorpusCategory>))]
public enum CorpusCategory
{
    Suicide,
    SelfHarm,
    Hopelessness,
    Burden,
    Farewell,
    Means,
}

/// <summary>
/// One labelled message of the evaluation corpus (Risk/Evaluation/Corpus, see its README): written by the project,
/// never from a real person. <see cref="HardNegative"/> names the kind of look-alike a non-risk message is;
/// <see cref="RetiredFromTest"/> marks a message of a test part that was run, read and moved to dev ("v1").
/// </summary>
public sealed record RiskCorpusEntry(
    string Id,
    string Language,
    string Text,
    RiskLevel Level,
    CorpusCategory? Category = null,
    string? HardNegative = null,
    string? Source = null,
    string? RetiredFromTest = null)
{
    public bool IsRisk => Level != RiskLevel.None;
}

/// <summary>Loads the corpus and decides which part a message belongs to.</summary>
public static class RiskCorpus
{
    public const string Dev = "dev";
    public const string Test = "test";

    /// <summary>Share of ids, in percent, that go to the test part.</summary>
    public const int TestPercent = 35;

    /// <summary>Ids of the current test series ("en-t2-0001"): written in one go before any tuning on them, all test.</summary>
    public const string TestSeriesMarker = "-t2-";

    /// <summary>
    /// The part of a message. Series 1 ids ("en-0001") were split by hash: the first four bytes of SHA-256(UTF-8
    /// id), big-endian, modulo 100, below <see cref="TestPercent"/> being test; that test part was run once, then
    /// read, so its messages are retired to dev (<see cref="RiskCorpusEntry.RetiredFromTest"/>). Series 2 ids are
    /// test. Tuning reads only the dev part; the test part is only ever run.
    /// </summary>
    public static string PartOf(RiskCorpusEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Id.Contains(TestSeriesMarker, StringComparison.Ordinal)) return Test;
        if (entry.RetiredFromTest is not null) return Dev;
        return HashPart(entry.Id);
    }

    /// <summary>The series 1 split by id hash.</summary>
    public static string HashPart(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(id));
        var value = (uint)(hash[0] << 24 | hash[1] << 16 | hash[2] << 8 | hash[3]);
        return value % 100 < TestPercent ? Test : Dev;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a JSON-lines corpus file.</summary>
    /// <exception cref="InvalidRecordException">A line is not a valid entry.</exception>
    public static IReadOnlyList<RiskCorpusEntry> Load(string path)
    {
        var result = new List<RiskCorpusEntry>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            RiskCorpusEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<RiskCorpusEntry>(line, Json);
            }
            catch (JsonException ex)
            {
                throw new InvalidRecordException($"{Path.GetFileName(path)} line {lineNumber}", [ex.Message]);
            }
            if (entry is null || entry.Id.Length == 0 || entry.Text.Length == 0)
                throw new InvalidRecordException($"{Path.GetFileName(path)} line {lineNumber}", ["empty entry"]);
            if (entry.IsRisk != entry.Category.HasValue)
                throw new InvalidRecordException($"{Path.GetFileName(path)} line {lineNumber}", ["a risk message needs a category, and only a risk message has one"]);
            result.Add(entry);
        }
        return result;
    }

    /// <summary>The dev or test part from a corpus folder holding corpus-dev.jsonl and corpus-test.jsonl.</summary>
    public static IReadOnlyList<RiskCorpusEntry> LoadPart(string folder, string part) =>
        Load(Path.Combine(folder, $"corpus-{part}.jsonl"));

    /// <summary>The corpus folder next to the running assembly (copied there by the projects that evaluate).</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "RiskCorpus");
}

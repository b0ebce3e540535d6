using System.Text.Json;

namespace HikiConsult.Domain.Risk.Concepts;

/// <summary>
/// One language's concept rules (Risk/Concepts/risk-concepts-xx.json): concept word lists, the combinations of
/// concepts inside a sentence that show risk (each with its C-SSRS-aligned level), and the cues that cancel a
/// combination (negation, idiom, fiction, someone else, reported speech, past ideation now denied). Written for this
/// product, not a validated instrument.
/// </summary>
/// <remarks>
/// Term syntax: elements separated by spaces, all adjacent; "a|b" are alternatives; "..." allows a gap (up to
/// <see cref="MaxGapWords"/> words, or <see cref="MaxGapChars"/> characters in unsegmented text). In word mode an
/// element matches a word with the same Snowball stem, or, ending in "*", any word starting with it. In character
/// mode (Japanese) an element matches the folded text at that point.
/// </remarks>
public sealed record ConceptRules
{
    public required string Language { get; init; }

    /// <summary>"words" (English, Dutch: tokens and stems) or "characters" (Japanese: folded text).</summary>
    public string Mode { get; init; } = "words";

    public int MaxGapWords { get; init; } = 4;
    public int MaxGapChars { get; init; } = 8;

    /// <summary>
    /// "icu" (character mode): a gap is counted in words found by ICU's dictionary-based break iterator
    /// (<see cref="MaxGapWords"/>) instead of characters; null keeps the character count.
    /// </summary>
    public string? Segmentation { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Concepts { get; init; }

    public required IReadOnlyList<ConceptPattern> Patterns { get; init; }

    /// <summary>Words (word mode) that negate a concept within a few words before it in the same clause.</summary>
    public IReadOnlyList<string> Negators { get; init; } = [];

    /// <summary>Phrases just after a hit that negate it ("is not an option", "なんてしない").</summary>
    public IReadOnlyList<string> NegationAfter { get; init; } = [];

    public int NegationWindow { get; init; } = 5;

    /// <summary>Words that end a negation's reach ("why", "but", "maar", "けど").</summary>
    public IReadOnlyList<string> ScopeBreakers { get; init; } = [];

    /// <summary>Words that start a new clause (conjunctions), besides punctuation.</summary>
    public IReadOnlyList<string> ClauseStarters { get; init; } = [];

    public IReadOnlyList<string> FirstPerson { get; init; } = [];

    /// <summary>Words after which a third-person cue is a subject ("said he", "that she"); otherwise only at a clause start.</summary>
    public IReadOnlyList<string> SubjectIntroducers { get; init; } = [];

    public CancelCues Cancel { get; init; } = new();

    public string? Note { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static ConceptRules Parse(string json, string origin)
    {
        ConceptRules? rules;
        try
        {
            rules = JsonSerializer.Deserialize<ConceptRules>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidRecordException($"risk concepts '{origin}'", [ex.Message]);
        }
        if (rules is null) throw new InvalidRecordException($"risk concepts '{origin}'", ["the file is empty"]);
        var problems = new List<string>();
        if (rules.Mode is not ("words" or "characters")) problems.Add($"unknown mode '{rules.Mode}'");
        if (rules.Segmentation is not (null or "icu")) problems.Add($"unknown segmentation '{rules.Segmentation}'");
        if (rules.Segmentation is not null && rules.Mode != "characters") problems.Add("segmentation applies to character mode only");
        foreach (var p in rules.Patterns)
        {
            if (p.All.Count == 0) problems.Add($"pattern '{p.Id}' has no concepts");
            problems.AddRange(p.All.Where(c => !rules.Concepts.ContainsKey(c)).Select(c => $"pattern '{p.Id}' names unknown concept '{c}'"));
            if (p.Level == RiskLevel.None) problems.Add($"pattern '{p.Id}' has level none");
        }
        if (problems.Count > 0) throw new InvalidRecordException($"risk concepts '{origin}'", problems);
        return rules;
    }

    private const string ResourcePrefix = "HikiConsult.Domain.Risk.Concepts.";

    public static IReadOnlyList<ConceptRules> LoadShipped()
    {
        var assembly = typeof(ConceptRules).Assembly;
        var result = new List<ConceptRules>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result.Add(Parse(reader.ReadToEnd(), name[ResourcePrefix.Length..]));
        }
        return result;
    }
}

/// <summary>A combination of concepts that must all occur in one sentence.</summary>
public sealed record ConceptPattern(string Id, RiskLevel Level, RiskCategory Category, IReadOnlyList<string> All, string? Note = null);

/// <summary>Cues that cancel a combination, each kept as the reason.</summary>
public sealed record CancelCues
{
    /// <summary>Idioms: cancel a hit they overlap ("killing me", "暑くて死にそう", "ik schrik me dood").</summary>
    public IReadOnlyList<string> Idiom { get; init; } = [];
    /// <summary>Games and fiction in the same sentence.</summary>
    public IReadOnlyList<string> Fiction { get; init; } = [];
    /// <summary>Someone else as the subject, with no first person in the clause.</summary>
    public IReadOnlyList<string> ThirdPerson { get; init; } = [];
    /// <summary>A question or form being reported ("asked if", "聞かれて").</summary>
    public IReadOnlyList<string> ReportedSpeech { get; init; } = [];
    /// <summary>Past time, cancelling only together with a <see cref="Denial"/> in the message.</summary>
    public IReadOnlyList<string> Past { get; init; } = [];
    public IReadOnlyList<string> Denial { get; init; } = [];
}

using System.Text.Json;

namespace HikiConsult.Domain.Risk;

/// <summary>
/// One language's risk phrases and negation rules (a JSON file in Risk/Lexicons). A phrase may contain "..." for a
/// gap of up to <see cref="MaxGapWords"/> words (or <see cref="MaxGapChars"/> characters in scripts without spaces),
/// so "mezelf ... iets aandoen" also matches "mezelf nooit iets aandoen" — and the "nooit" in the gap negates it.
/// </summary>
public sealed record RiskLexicon
{
    public required string Language { get; init; }

    /// <summary>Phrases per category: keys "suicide", "selfHarm", "hopelessness", "planOrMeans".</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Terms { get; init; }

    public NegationRules Negation { get; init; } = new();

    public int MaxGapWords { get; init; } = 2;
    public int MaxGapChars { get; init; } = 4;

    public string? Note { get; init; }

    private const string ResourcePrefix = "HikiConsult.Domain.Risk.Lexicons.";

    public static RiskLexicon Parse(string json, string origin)
    {
        RiskLexicon? lexicon;
        try
        {
            lexicon = JsonSerializer.Deserialize<RiskLexicon>(json, LexiconJson);
        }
        catch (JsonException ex)
        {
            throw new InvalidRecordException($"risk lexicon '{origin}'", [ex.Message]);
        }
        if (lexicon is null) throw new InvalidRecordException($"risk lexicon '{origin}'", ["the file is empty"]);
        var problems = new List<string>();
        foreach (var key in lexicon.Terms.Keys)
        {
            if (!Enum.TryParse<RiskCategory>(key, ignoreCase: true, out _)) problems.Add($"unknown category '{key}'");
        }
        foreach (var term in lexicon.Terms.Values.SelectMany(t => t))
        {
            if (TextNormalizer.NormalizeTerm(term.Replace("...", " ")).Length == 0) problems.Add("an empty term");
            if (term.Trim().StartsWith("...", StringComparison.Ordinal) || term.Trim().EndsWith("...", StringComparison.Ordinal))
                problems.Add($"term '{term}' starts or ends with a gap");
        }
        if (problems.Count > 0) throw new InvalidRecordException($"risk lexicon '{origin}'", problems);
        return lexicon;
    }

    /// <summary>The lexicons shipped with the domain (en, ja, nl).</summary>
    public static IReadOnlyList<RiskLexicon> LoadShipped()
    {
        var assembly = typeof(RiskLexicon).Assembly;
        var result = new List<RiskLexicon>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result.Add(Parse(reader.ReadToEnd(), name[ResourcePrefix.Length..]));
        }
        return result;
    }

    private static readonly JsonSerializerOptions LexiconJson = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}

/// <summary>
/// How a hit is negated within its clause. Languages that negate before the verb (English, Dutch) list
/// <see cref="Before"/> cues looked for up to <see cref="BeforeWindow"/> words back; Japanese negates after the
/// predicate (自殺なんてしない), so it lists <see cref="After"/> cues starting within <see cref="AfterWindow"/>
/// characters after the hit. <see cref="ScopeBreakers"/> end the search ("I don't know why I want to die" is not
/// negated); <see cref="Pseudo"/> are cue-like phrases that do not negate ("no longer", "しないと").
/// Phrases that carry their own negation ("don't want to live", "niet meer leven", "生きていたくない") are risk
/// terms in the lexicon, and a cue inside the matched phrase never negates it.
/// </summary>
public sealed record NegationRules
{
    public IReadOnlyList<string> Before { get; init; } = [];
    public IReadOnlyList<string> BeforeSuffixes { get; init; } = [];
    public int BeforeWindow { get; init; } = 4;
    public IReadOnlyList<string> After { get; init; } = [];
    public int AfterWindow { get; init; } = 6;
    public IReadOnlyList<string> ScopeBreakers { get; init; } = [];
    public IReadOnlyList<string> Pseudo { get; init; } = [];
}

using System.Reflection;

namespace HikiConsult.Domain.Instruments;

/// <summary>
/// The instruments a clinic uses: the shipped definitions (embedded in this assembly), replaced or extended by the
/// files in <see cref="InstrumentOptions.OverrideDirectory"/>. Immutable once loaded; safe to share.
/// </summary>
public sealed class InstrumentCatalog
{
    private const string ResourcePrefix = "HikiConsult.Domain.Instruments.Definitions.";
    private readonly Dictionary<string, InstrumentDefinition> _byId;

    private InstrumentCatalog(Dictionary<string, InstrumentDefinition> byId, ScoringOptions scoring, IReadOnlyList<string> overridden)
    {
        _byId = byId;
        ScoringOptions = scoring;
        Overridden = overridden;
    }

    /// <summary>Scoring options (cut-offs, language) of this clinic.</summary>
    public ScoringOptions ScoringOptions { get; }

    /// <summary>Ids whose definition came from the override directory.</summary>
    public IReadOnlyList<string> Overridden { get; }

    public IReadOnlyCollection<InstrumentDefinition> All => _byId.Values;

    public static InstrumentCatalog LoadShipped() => Load(new InstrumentOptions());

    /// <exception cref="InstrumentDefinitionException">A shipped or override file is invalid.</exception>
    /// <exception cref="DirectoryNotFoundException">The override directory does not exist.</exception>
    public static InstrumentCatalog Load(InstrumentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var byId = new Dictionary<string, InstrumentDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, json) in ReadShipped())
        {
            var d = InstrumentJson.Parse(json, name);
            if (!byId.TryAdd(d.Id, d)) throw new InstrumentDefinitionException(name, [$"duplicate instrument id '{d.Id}'"]);
        }

        var overridden = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OverrideDirectory))
        {
            if (!Directory.Exists(options.OverrideDirectory))
                throw new DirectoryNotFoundException($"Instrument override directory '{options.OverrideDirectory}' does not exist.");
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in Directory.EnumerateFiles(options.OverrideDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                var d = InstrumentJson.Parse(File.ReadAllText(path), path);
                if (!seen.Add(d.Id)) throw new InstrumentDefinitionException(path, [$"instrument id '{d.Id}' is defined twice in the override directory"]);
                byId[d.Id] = d;
                overridden.Add(d.Id);
            }
        }

        var scoring = options.ToScoringOptions();
        foreach (var (id, cutoff) in scoring.Cutoffs)
        {
            if (!byId.TryGetValue(id, out var d))
                throw new InstrumentDefinitionException($"cutoff for '{id}'", [$"no instrument with id '{id}'"]);
            if (d.Cutoff is null)
                throw new InstrumentDefinitionException($"cutoff for '{id}'", [$"instrument '{id}' has no cut-off to configure"]);
            var (min, max) = d.TotalRange;
            if (cutoff < min || cutoff > max)
                throw new InstrumentDefinitionException($"cutoff for '{id}'", [$"cut-off {cutoff} is outside the total range {min}-{max}"]);
        }
        return new InstrumentCatalog(byId, scoring, overridden);
    }

    public bool TryGet(string id, out InstrumentDefinition definition) => _byId.TryGetValue(id, out definition!);

    /// <exception cref="UnknownInstrumentException">No instrument has this id.</exception>
    public InstrumentDefinition Get(string id) =>
        _byId.TryGetValue(id, out var d) ? d : throw new UnknownInstrumentException(id, _byId.Keys);

    /// <summary>Scores answers with this clinic's cut-offs and language.</summary>
    /// <exception cref="UnknownInstrumentException">No instrument has this id.</exception>
    /// <exception cref="AssessmentValidationException">The answers cannot be scored.</exception>
    public AssessmentResult Score(string instrumentId, IReadOnlyList<int?> answers) =>
        InstrumentScorer.Score(Get(instrumentId), answers, ScoringOptions);

    /// <summary>The raw JSON of every shipped definition, by resource name (for serving them unchanged).</summary>
    public static IEnumerable<(string Name, string Json)> ReadShipped()
    {
        var assembly = typeof(InstrumentCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            yield return (name[ResourcePrefix.Length..], ReadResource(assembly, name));
        }
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Missing resource {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

public sealed class UnknownInstrumentException(string id, IEnumerable<string> known)
    : Exception($"Unknown instrument '{id}'. Known instruments: {string.Join(", ", known.Order(StringComparer.Ordinal))}.")
{
    public string InstrumentId { get; } = id;
}

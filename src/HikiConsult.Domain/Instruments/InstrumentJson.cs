using System.Text.Json;
using System.Text.Json.Serialization;

namespace HikiConsult.Domain.Instruments;

/// <summary>JSON settings for instrument definition files: camelCase, comments and trailing commas allowed.</summary>
public static class InstrumentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses and checks one definition; <paramref name="origin"/> names the file in errors.</summary>
    public static InstrumentDefinition Parse(string json, string origin)
    {
        InstrumentDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize<InstrumentDefinition>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new InstrumentDefinitionException(origin, [$"not a valid instrument definition: {ex.Message}"]);
        }
        if (definition is null)
        {
            throw new InstrumentDefinitionException(origin, ["the file is empty"]);
        }
        var problems = InstrumentDefinitionValidator.Check(definition);
        if (problems.Count > 0)
        {
            throw new InstrumentDefinitionException(origin, problems);
        }
        return definition;
    }

    public static string Write(InstrumentDefinition definition) => JsonSerializer.Serialize(definition, Options);
}

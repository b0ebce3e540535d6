using System.Text.Json;

namespace HikiConsult.Cohort.Generation;

/// <summary>The synthetic lines clients and counselors write, per language (seeds/cohort/phrases.json).</summary>
public sealed record PhraseBook(string Notice, IReadOnlyDictionary<string, LanguagePhrases> Languages)
{
    public static PhraseBook Load(string path)
    {
        using var stream = File.OpenRead(path);
        var book = JsonSerializer.Deserialize<PhraseBook>(stream, CohortParameters.Json) ?? throw new InvalidDataException($"{path} is empty.");
        foreach (var (language, phrases) in book.Languages)
        {
            if (phrases.Counselor.Count == 0 || phrases.Neutral.Count == 0 || phrases.Risk.Count == 0
                || phrases.TransientHopelessness.Count == 0 || phrases.Negated.Count == 0)
            {
                throw new InvalidDataException($"{path}: language '{language}' needs counselor, neutral, risk, transientHopelessness and negated lines.");
            }
        }

        return book;
    }

    public LanguagePhrases For(string language) =>
        Languages.TryGetValue(language, out var phrases) ? phrases : throw new InvalidDataException($"No phrases for language '{language}'.");
}

public sealed record LanguagePhrases(
    IReadOnlyList<string> Counselor,
    IReadOnlyList<string> Neutral,
    IReadOnlyList<RiskPhrase> Risk,
    IReadOnlyList<string> TransientHopelessness,
    IReadOnlyList<string> Negated);

/// <summary>A line meant to raise an alert, with the detector category it is written for.</summary>
public sealed record RiskPhrase(string Category, string Text);

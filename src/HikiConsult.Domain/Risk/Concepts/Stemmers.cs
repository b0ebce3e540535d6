using Lucene.Net.Tartarus.Snowball;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace HikiConsult.Domain.Risk.Concepts;

/// <summary>Snowball stemmers (Porter's English and Dutch algorithms, via Lucene.Net); one instance per thread, as they keep state.</summary>
internal static class Stemmers
{
    [ThreadStatic] private static EnglishStemmer? t_english;
    [ThreadStatic] private static DutchStemmer? t_dutch;

    public static bool Supports(string language) => language is "en" or "nl";

    public static string Stem(string language, string word)
    {
        SnowballProgram stemmer = language switch
        {
            "en" => t_english ??= new EnglishStemmer(),
            "nl" => t_dutch ??= new DutchStemmer(),
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, "no stemmer"),
        };
        // Apostrophes are dropped first so "don't" and "dont" stem alike.
        stemmer.SetCurrent(word.Replace("'", "", StringComparison.Ordinal));
        stemmer.Stem();
        return stemmer.Current;
    }
}

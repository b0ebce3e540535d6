using System.Globalization;
using ICU4N.Text;

namespace HikiConsult.Domain.Risk.Concepts;

/// <summary>
/// Japanese word boundaries from ICU's dictionary-based break iterator (ICU4N, with the CJK dictionary its resources
/// package ships): Japanese has no spaces, so a gap in a concept term is counted in words ("死に … たい" with a few
/// words between), not in an arbitrary number of characters. One iterator per thread, as it keeps state.
/// </summary>
internal static class JapaneseSegmenter
{
    private static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja");

    [ThreadStatic] private static BreakIterator? t_iterator;

    /// <summary>Whether a word starts at each position of <paramref name="text"/> (length + 1 entries; the end counts as a start).</summary>
    public static bool[] WordStarts(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var starts = new bool[text.Length + 1];
        starts[text.Length] = true;
        if (text.Length == 0) return starts;
        var iterator = t_iterator ??= BreakIterator.GetWordInstance(Japanese);
        iterator.SetText(text);
        for (var b = iterator.First(); b != BreakIterator.Done; b = iterator.Next()) starts[b] = true;
        return starts;
    }
}

using System.Globalization;
using System.Text;

namespace HikiConsult.Domain.Risk;

/// <summary>
/// Text folded for matching, with a map back to the original so evidence is quoted exactly as written.
/// </summary>
public sealed class NormalizedText
{
    internal NormalizedText(string original, string text, int[] originalStart, int[] originalEnd)
    {
        Original = original;
        Text = text;
        _originalStart = originalStart;
        _originalEnd = originalEnd;
    }

    private readonly int[] _originalStart;
    private readonly int[] _originalEnd;

    public string Original { get; }

    /// <summary>The folded text: NFKC, lower case, katakana as hiragana, long-vowel marks and tildes dropped,
    /// Latin diacritics removed, apostrophes unified, whitespace runs collapsed (to '\n' if they hold a line break).</summary>
    public string Text { get; }

    /// <summary>The original range (start, length) that produced folded characters [start, start+length).</summary>
    public (int Start, int Length) OriginalRange(int start, int length)
    {
        var s = _originalStart[start];
        var e = _originalEnd[start + length - 1];
        return (s, e - s);
    }
}

/// <summary>
/// Folds text so that one lexicon entry matches its common written variants: case, full-width and half-width forms
/// (NFKC), katakana/hiragana, elongation marks (ー, 〜), Latin diacritics, curly apostrophes and repeated spaces.
/// Lexicon terms go through the same folding, so both sides agree.
/// </summary>
public static class TextNormalizer
{
    // Folding of single BMP characters is cached: the per-message cost is then a table lookup per character.
    private static readonly string?[] s_fold = new string?[0x10000];

    public static NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var chunkStart = i;
            var c = text[i];
            i++;
            if (char.IsHighSurrogate(c) && i < text.Length && char.IsLowSurrogate(text[i])) i++;
            while (i < text.Length && IsAttachedMark(text[i])) i++;

            string? folded;
            if (i - chunkStart == 1 && c < 0x80)
            {
                // ASCII fast path: no allocation.
                var a = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                Emit(sb, starts, ends, a, chunkStart, i);
                continue;
            }
            folded = i - chunkStart == 1 ? FoldCached(c) : Fold(text.Substring(chunkStart, i - chunkStart));
            foreach (var f in folded) Emit(sb, starts, ends, f, chunkStart, i);
        }
        // Trailing whitespace carries no meaning.
        while (sb.Length > 0 && sb[^1] is ' ' or '\n')
        {
            sb.Length--;
            starts.RemoveAt(starts.Count - 1);
            ends.RemoveAt(ends.Count - 1);
        }
        return new NormalizedText(text, sb.ToString(), [.. starts], [.. ends]);
    }

    /// <summary>Folds a lexicon term or cue the same way as message text.</summary>
    public static string NormalizeTerm(string term) => Normalize(term).Text;

    private static void Emit(StringBuilder sb, List<int> starts, List<int> ends, char c, int originalStart, int originalEnd)
    {
        if (c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v' or '\u0085' or '\u2028' or '\u2029' || char.IsWhiteSpace(c))
        {
            var newline = c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';
            if (sb.Length == 0) return; // leading whitespace
            var last = sb[^1];
            if (last is ' ' or '\n')
            {
                // Collapse the run; a run holding a line break becomes a line break (a clause boundary).
                if (newline && last == ' ') sb[^1] = '\n';
                ends[^1] = originalEnd;
                return;
            }
            c = newline ? '\n' : ' ';
        }
        sb.Append(c);
        starts.Add(originalStart);
        ends.Add(originalEnd);
    }

    private static bool IsAttachedMark(char c) =>
        c is '\uFF9E' or '\uFF9F' or '\u3099' or '\u309A' or (>= '\uFE00' and <= '\uFE0F') ||
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static string FoldCached(char c)
    {
        var cached = s_fold[c];
        if (cached is null)
        {
            cached = Fold(c.ToString());
            s_fold[c] = cached; // a benign race: every thread computes the same value
        }
        return cached;
    }

    private static string Fold(string chunk)
    {
        string n;
        try
        {
            n = chunk.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            n = chunk; // lone surrogates and the like: keep as written
        }
        n = n.ToLowerInvariant();
        var sb = new StringBuilder(n.Length);
        foreach (var ch in n)
        {
            switch (ch)
            {
                case >= '\u30A1' and <= '\u30F6':
                    sb.Append((char)(ch - 0x60)); // katakana → hiragana
                    break;
                case '\u30FC' or '\u301C' or '~' or '\uFF70':
                    break; // elongation marks: しにたーい → しにたい
                case '\u2018' or '\u2019' or '\u02BC' or '\u00B4' or '`':
                    sb.Append('\'');
                    break;
                case >= '\u00C0' and <= '\u024F':
                    var d = ch.ToString().Normalize(NormalizationForm.FormD);
                    sb.Append(d[0]); // suïcide → suicide
                    break;
                default:
                    sb.Append(ch);
                    break;
            }
        }
        return sb.ToString();
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;

namespace HikiConsult.Domain.Risk;

/// <summary>
/// Text folded for matching, with a map back to the original so evidence is quoted exactly as written.
/// </summary>
public sealed class NormalizedText
{
    // The map back is needed only to quote a match, which few messages have: it is built on first use by
    // folding the original again, and folding is deterministic.
    private int[]? _originalStart;
    private int[]? _originalEnd;

    internal NormalizedText(string original, string text)
    {
        Original = original;
        Text = text;
    }

    public string Original { get; }

    /// <summary>The folded text: NFKC, lower case, katakana as hiragana, long-vowel marks and tildes dropped,
    /// Latin diacritics removed, apostrophes unified, whitespace runs collapsed (to '\n' if they hold a line break).</summary>
    public string Text { get; }

    /// <summary>The original range (start, length) that produced folded characters [start, start+length).</summary>
    public (int Start, int Length) OriginalRange(int start, int length)
    {
        if (_originalStart is null || _originalEnd is null)
        {
            (_originalStart, _originalEnd) = TextNormalizer.MapBack(Original);
        }

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
        var output = new FoldOutput(text.Length, withMap: false);
        try
        {
            Fold(text, ref output);
            return new NormalizedText(text, output.Text.ToString());
        }
        finally
        {
            output.Return();
        }
    }

    /// <summary>Folds a lexicon term or cue the same way as message text.</summary>
    public static string NormalizeTerm(string term) => Normalize(term).Text;

    /// <summary>For each folded character of <paramref name="text"/>, the original range that produced it.</summary>
    internal static (int[] Starts, int[] Ends) MapBack(string text)
    {
        var output = new FoldOutput(text.Length, withMap: true);
        try
        {
            Fold(text, ref output);
            return ([.. output.Starts!], [.. output.Ends!]);
        }
        finally
        {
            output.Return();
        }
    }

    private static void Fold(string text, ref FoldOutput output)
    {
        var i = 0;
        while (i < text.Length)
        {
            var chunkStart = i;
            var c = text[i];
            i++;
            if (char.IsHighSurrogate(c) && i < text.Length && char.IsLowSurrogate(text[i])) i++;
            while (i < text.Length && IsAttachedMark(text[i])) i++;

            if (i - chunkStart == 1 && c < 0x80)
            {
                // ASCII fast path: no allocation.
                var a = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                output.Emit(a, chunkStart, i);
                continue;
            }
            var folded = i - chunkStart == 1 ? FoldCached(c) : FoldChunk(text.Substring(chunkStart, i - chunkStart));
            foreach (var f in folded) output.Emit(f, chunkStart, i);
        }
        output.TrimTrailingWhitespace();
    }

    /// <summary>The folded characters (in a pooled buffer) and, when asked for, where each came from.</summary>
    private struct FoldOutput(int capacity, bool withMap)
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 16));
        private int _length;

        public readonly List<int>? Starts { get; } = withMap ? new List<int>(capacity) : null;

        public readonly List<int>? Ends { get; } = withMap ? new List<int>(capacity) : null;

        public readonly ReadOnlySpan<char> Text => _chars.AsSpan(0, _length);

        public void Emit(char c, int originalStart, int originalEnd)
        {
            if (c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v' or '\u0085' or '\u2028' or '\u2029' || char.IsWhiteSpace(c))
            {
                var newline = c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';
                if (_length == 0) return; // leading whitespace
                var last = _chars[_length - 1];
                if (last is ' ' or '\n')
                {
                    // Collapse the run; a run holding a line break becomes a line break (a clause boundary).
                    if (newline && last == ' ') _chars[_length - 1] = '\n';
                    if (Ends is not null) Ends[^1] = originalEnd;
                    return;
                }
                c = newline ? '\n' : ' ';
            }
            if (_length == _chars.Length)
            {
                // NFKC can expand a character (㍻ → 平成).
                var larger = ArrayPool<char>.Shared.Rent(_chars.Length * 2);
                _chars.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<char>.Shared.Return(_chars);
                _chars = larger;
            }
            _chars[_length++] = c;
            Starts?.Add(originalStart);
            Ends?.Add(originalEnd);
        }

        /// <summary>Trailing whitespace carries no meaning.</summary>
        public void TrimTrailingWhitespace()
        {
            while (_length > 0 && _chars[_length - 1] is ' ' or '\n')
            {
                _length--;
                Starts?.RemoveAt(Starts.Count - 1);
                Ends?.RemoveAt(Ends.Count - 1);
            }
        }

        public readonly void Return() => ArrayPool<char>.Shared.Return(_chars);
    }

    private static bool IsAttachedMark(char c) =>
        c is '\uFF9E' or '\uFF9F' or '\u3099' or '\u309A' or (>= '\uFE00' and <= '\uFE0F') ||
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static string FoldCached(char c)
    {
        var cached = s_fold[c];
        if (cached is null)
        {
            cached = FoldChunk(c.ToString());
            s_fold[c] = cached; // a benign race: every thread computes the same value
        }
        return cached;
    }

    private static string FoldChunk(string chunk)
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

using System.Globalization;

namespace HikiConsult.Contracts;

/// <summary>
/// What characters a text field may hold. A message or note may keep newlines and tabs; a one-line field (alias,
/// names, ids, scopes) may not. Controls (C0 other than newline and tab, DEL, C1) and unpaired surrogates are
/// refused everywhere: they break the transcript, terminals and the UTF-8 the store writes. One-line fields also
/// refuse bidi overrides and isolates, line and paragraph separators and the BOM, which would let a name disguise
/// itself in the console. Problems are stated without echoing the content.
/// </summary>
public static class TextRules
{
    /// <summary>Null when <paramref name="value"/> is allowed; otherwise what is wrong with it.</summary>
    public static string? Problem(string value, bool multiline)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return "contains an unpaired surrogate (invalid UTF-16)";
            }

            if (char.IsLowSurrogate(c))
            {
                return "contains an unpaired surrogate (invalid UTF-16)";
            }

            if (c is '\n' or '\t')
            {
                if (!multiline)
                {
                    return c == '\n' ? "may not contain a line break" : "may not contain a tab";
                }

                continue;
            }

            if (c < 0x20 || c is >= '\u007f' and <= '\u009f')
            {
                return $"may not contain the control character U+{(int)c:X4}";
            }

            if (!multiline && (IsBidiControl(c) || c is '\u2028' or '\u2029' or '\ufeff'))
            {
                return $"may not contain the invisible formatting character U+{(int)c:X4}";
            }
        }

        return null;
    }

    /// <summary>Windows line ends become newlines, so that a message typed on any device is stored the same way.</summary>
    public static string NormalizeNewlines(string value) => value.Contains('\r') ? value.Replace("\r\n", "\n", StringComparison.Ordinal) : value;

    /// <summary>True when nothing in the text would be visible: spaces, zero-width and other formatting characters only.</summary>
    public static bool IsBlank(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c) && !IsInvisible(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Explicit direction embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f' or '\u061c';

    private static bool IsInvisible(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format
        || c is '\u115f' or '\u1160' or '\u3164' or '\uffa0' or '\u2800' or '\u034f';
}

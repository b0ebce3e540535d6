using System.Globalization;
using System.Text;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Sessions;

/// <summary>
/// Makes stored text safe to place in a transcript, whatever an older version let through: no text can start a
/// line of its own (every continuation line of a message carries <see cref="Continuation"/>, which no event line
/// starts with), controls and bidi or other invisible formatting characters are written as visible <c>&lt;U+XXXX&gt;</c>,
/// and unpaired surrogates become U+FFFD.
/// </summary>
internal static class TranscriptText
{
    /// <summary>What starts every further line of a multi-line text; event lines start with a date.</summary>
    public const string Continuation = "    | ";

    /// <summary>A message or note: line breaks kept, each further line marked as a continuation.</summary>
    public static string MultiLine(string value) => Clean(value, keepLines: true);

    /// <summary>A name, alias or value that must stay on its line: line breaks are shown, not followed.</summary>
    public static string OneLine(string value) => Clean(value, keepLines: false);

    private static string Clean(string value, bool keepLines)
    {
        StringBuilder? text = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? replacement = null;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                replacement = "\ufffd";
            }
            else if (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n')
            {
                replacement = "";
            }
            else if (c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029' or '\v' or '\f')
            {
                replacement = keepLines ? "\n" + Continuation : Visible(c);
            }
            else if (c != '\t' && (char.IsControl(c) || TextRules.IsBidiControl(c) || c == '\ufeff'))
            {
                replacement = Visible(c);
            }

            if (replacement is null)
            {
                text?.Append(c);
                continue;
            }

            text ??= new StringBuilder(value.Length + 16).Append(value, 0, i);
            text.Append(replacement);
        }

        return text?.ToString() ?? value;
    }

    private static string Visible(char c) => string.Create(CultureInfo.InvariantCulture, $"<U+{(int)c:X4}>");
}

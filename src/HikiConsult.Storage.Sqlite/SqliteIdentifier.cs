using System.Text.RegularExpressions;

namespace HikiConsult.Storage.Sqlite;

/// <summary>Table names come from configuration and are spliced into SQL: only plain identifiers pass.</summary>
internal static partial class SqliteIdentifier
{
    public static void Check(string name, string what)
    {
        if (!PlainIdentifier().IsMatch(name))
        {
            throw new InvalidOperationException($"The {what} name \"{name}\" is not a plain identifier.");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}

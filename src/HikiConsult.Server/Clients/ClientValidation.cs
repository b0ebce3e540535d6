using System.Text.RegularExpressions;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Clients;

internal static partial class ClientValidation
{
    public const int MaxAliasLength = 64;
    public const int MaxConsentScopeLength = 200;
    public const string DefaultLanguage = "en";
    public const string DefaultTimeZone = "UTC";

    /// <summary>Checks a new client; returns the errors by field, or the cleaned values.</summary>
    public static (Dictionary<string, string[]> Errors, string Alias, string Language, string TimeZone) Check(CreateClientRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["body"] = ["A JSON body with alias and language is required."];
            return (errors, "", "", "");
        }

        var alias = request.Alias?.Trim() ?? "";
        if (alias.Length == 0 || alias.Length > MaxAliasLength)
        {
            errors["alias"] = [$"A pseudonymous alias of 1 to {MaxAliasLength} characters is required (no real name needed)."];
        }

        var language = string.IsNullOrWhiteSpace(request.Language) ? DefaultLanguage : request.Language.Trim();
        if (!LanguageTag().IsMatch(language))
        {
            errors["language"] = ["A language tag such as 'en', 'ja' or 'nl'."];
        }

        var timeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? DefaultTimeZone : request.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errors["timeZone"] = ["An IANA time zone such as 'Asia/Tokyo' or 'Europe/Amsterdam'."];
        }

        return (errors, alias, language, timeZone);
    }

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")]
    private static partial Regex LanguageTag();
}

using HikiConsult.Contracts;

namespace HikiConsult.Server.Validation;

/// <summary>The bound of each request field by its JSON name (from <see cref="InputLimits"/>); unnamed fields get the default.</summary>
internal static class FieldLimits
{
    private static readonly Dictionary<string, int> Strings = new(StringComparer.Ordinal)
    {
        ["alias"] = InputLimits.MaxAlias,
        ["language"] = InputLimits.MaxLanguageTag,
        ["timeZone"] = InputLimits.MaxTimeZone,
        ["kind"] = InputLimits.MaxKind,
        ["code"] = InputLimits.MaxPairingCode,
        ["deviceName"] = InputLimits.MaxDeviceName,
        ["userId"] = InputLimits.MaxId,
        ["clientId"] = InputLimits.MaxId,
        ["scope"] = InputLimits.MaxConsentScope,
        ["username"] = InputLimits.MaxUsername,
        ["displayName"] = InputLimits.MaxDisplayName,
        ["role"] = InputLimits.MaxRole,
        ["password"] = InputLimits.MaxPassword,
        ["refreshToken"] = InputLimits.MaxRefreshToken,
        ["instrument"] = InputLimits.MaxInstrumentId,
        ["completedBy"] = InputLimits.MaxCompletedBy,
        ["coOccurringConditions"] = InputLimits.MaxCondition,
        ["analyte"] = InputLimits.MaxAnalyte,
        ["unit"] = InputLimits.MaxUnit,
        ["sex"] = InputLimits.MaxSex,
        ["assay"] = InputLimits.MaxAssay,
        ["date"] = InputLimits.MaxDate,
    };

    private static readonly Dictionary<string, int> Lists = new(StringComparer.Ordinal)
    {
        ["coOccurringConditions"] = InputLimits.MaxConditions,
        ["answers"] = InputLimits.MaxAnswers,
    };

    /// <summary>Fields whose characters are not checked: a password may hold anything but its length is bounded.</summary>
    private static readonly HashSet<string> AnyCharacters = new(StringComparer.Ordinal) { "password" };

    public static int MaxLength(string field) => Strings.GetValueOrDefault(field, InputLimits.MaxDefaultString);

    public static int MaxCount(string field) => Lists.GetValueOrDefault(field, InputLimits.MaxDefaultListCount);

    public static bool ChecksCharacters(string field) => !AnyCharacters.Contains(field);
}

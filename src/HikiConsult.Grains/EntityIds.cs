using System.Text.RegularExpressions;

namespace HikiConsult.Grains;

/// <summary>
/// Ids are opaque text: a two-letter prefix that says what the id names, an underscore and up to 40 lower-case
/// letters or digits (new ids use a random Guid). Checking the shape first turns junk into a clean "not found"
/// without touching storage.
/// </summary>
public static partial class EntityIds
{
    public const string ClientPrefix = "cl";
    public const string SessionPrefix = "se";
    public const string UserPrefix = "us";
    public const string DevicePrefix = "dv";

    public static string NewClientId() => New(ClientPrefix);

    public static string NewSessionId() => New(SessionPrefix);

    public static string NewUserId() => New(UserPrefix);

    public static string NewDeviceId() => New(DevicePrefix);

    public static bool IsClientId(string? id) => Is(id, ClientPrefix);

    public static bool IsSessionId(string? id) => Is(id, SessionPrefix);

    public static bool IsUserId(string? id) => Is(id, UserPrefix);

    public static bool IsDeviceId(string? id) => Is(id, DevicePrefix);

    private static string New(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    // The shape puts the underscore right after the two-letter prefix (checked on every hub call: no string built).
    private static bool Is(string? id, string prefix) =>
        id is not null && id.StartsWith(prefix, StringComparison.Ordinal) && Shape().IsMatch(id);

    [GeneratedRegex("^[a-z]{2}_[a-z0-9]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}

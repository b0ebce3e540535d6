using System.Security.Cryptography;
using System.Text;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// Alert ids are derived from the message they are about (session and seq), so raising the alert for the same
/// message twice can only ever produce one alert.
/// </summary>
public static class RiskAlertIds
{
    public const string Prefix = "al";

    public static string For(string sessionId, long seq)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{sessionId}/{seq}"));
        return Prefix + "_" + Convert.ToHexStringLower(hash)[..32];
    }

    public static bool IsAlertId(string? id) =>
        id is { Length: 35 } && id.StartsWith(Prefix + "_", StringComparison.Ordinal) && id.AsSpan(3).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>A random id for a clinical record, e.g. "as_…" for an assessment.</summary>
    public static string NewRecordId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");
}

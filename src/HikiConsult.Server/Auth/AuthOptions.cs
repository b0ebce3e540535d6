namespace HikiConsult.Server.Auth;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public string Issuer { get; set; } = "hikiconsult";

    public string Audience { get; set; } = "hikiconsult";

    /// <summary>
    /// Base64 of at least 32 random bytes. When empty, a key is generated on first start and kept in the data
    /// directory (file "signing-key", readable by the owner only). It is never logged.
    /// </summary>
    public string? SigningKey { get; set; }

    public TimeSpan StaffTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Device tokens live long (a robot should not need re-pairing) and are revoked explicitly.</summary>
    public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Login attempts per client address per minute.</summary>
    public int LoginPermitLimit { get; set; } = 20;

    /// <summary>Pairing attempts per client address per minute.</summary>
    public int PairingPermitLimit { get; set; } = 10;

    /// <summary>Length of the rate limit windows.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}

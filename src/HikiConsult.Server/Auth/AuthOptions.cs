namespace HikiConsult.Server.Auth;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The tokens' issuer. Default "hikiconsult".</summary>
    public string Issuer { get; set; } = "hikiconsult";

    /// <summary>The tokens' audience. Default "hikiconsult".</summary>
    public string Audience { get; set; } = "hikiconsult";

    /// <summary>
    /// Base64 of at least 32 random bytes. When empty, a key is generated on first start and kept in the key
    /// directory (Keys:Directory, file "signing-key", readable by the owner only; moved there from the data directory
    /// of an older install). It is never logged. Default none: generated.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Staff access tokens are short-lived; the console renews them with its refresh token before they expire. Default 15 minutes.</summary>
    public TimeSpan StaffTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in can be renewed (refresh tokens rotate on each use; the family ends after this). Default 12 hours.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often open hub connections are checked against their account or device (revoked, disabled, role changed). Default 1 minute.</summary>
    public TimeSpan CredentialRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Renewals per client address per minute. Default 60.</summary>
    public int RefreshPermitLimit { get; set; } = 60;

    /// <summary>Failed sign-ins in a row that lock an account. Default 5.</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>The first lockout; each further one in a row doubles it, up to <see cref="MaxLockout"/>. Default 5 minutes.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest lockout. Default 4 hours.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Device tokens live long (a robot should not need re-pairing) and are revoked explicitly. Default 365 days.</summary>
    public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Login attempts per client address per minute. Default 20.</summary>
    public int LoginPermitLimit { get; set; } = 20;

    /// <summary>Pairing attempts per client address per minute. Default 10.</summary>
    public int PairingPermitLimit { get; set; } = 10;

    /// <summary>Length of the rate limit windows. Default 1 minute.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}

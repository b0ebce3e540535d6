using Orleans;

namespace HikiConsult.Contracts;

/// <summary>
/// The answer of sign-in and of a renewal: a short-lived access token and a refresh token that renews it once
/// (<c>POST /api/auth/refresh</c>); both stop working on sign-out (<c>POST /api/auth/logout</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.SignInResponse")]
public sealed record SignInResponse(
    string AccessToken,
    DateTimeOffset ExpiresAt,
    UserInfo User,
    string RefreshToken,
    DateTimeOffset RefreshExpiresAt);

/// <summary>Renews an access token; the refresh token is used up and a new one is returned.</summary>
[GenerateSerializer, Immutable, Alias("hc.RefreshRequest")]
public sealed record RefreshRequest(string? RefreshToken);

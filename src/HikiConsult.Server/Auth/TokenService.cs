using System.Security.Claims;
using HikiConsult.Contracts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HikiConsult.Server.Auth;

/// <summary>Issues the bearer tokens of staff and devices.</summary>
public sealed class TokenService(SigningKeyProvider keys, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>A staff access token of the sign-in session <paramref name="sessionId"/> (its <c>sid</c>, checked on every use).</summary>
    public (string Token, DateTimeOffset ExpiresAt) IssueForUser(UserRecord user, string sessionId) =>
        Issue(options.Value.StaffTokenLifetime,
        [
            new Claim(TokenClaims.Subject, user.Id),
            new Claim(TokenClaims.Name, user.DisplayName),
            new Claim(TokenClaims.Role, user.Role),
            new Claim(TokenClaims.SessionId, sessionId),
        ]);

    public (string Token, DateTimeOffset ExpiresAt) IssueForDevice(string deviceId, string clientId, string kind, string displayName) =>
        Issue(options.Value.DeviceTokenLifetime,
        [
            new Claim(TokenClaims.Subject, deviceId),
            new Claim(TokenClaims.Name, displayName),
            new Claim(TokenClaims.Role, kind == DeviceKinds.Family ? Roles.Family : Roles.Client),
            new Claim(TokenClaims.ClientId, clientId),
            new Claim(TokenClaims.DeviceKind, kind),
        ]);

    private (string Token, DateTimeOffset ExpiresAt) Issue(TimeSpan lifetime, IEnumerable<Claim> claims)
    {
        var issuedAt = time.GetUtcNow();
        var expiresAt = issuedAt + lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity(claims.Append(new Claim("jti", Guid.NewGuid().ToString("N")))),

            // All three from the clock that validates them (left out, iat and nbf would come from the system clock).
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expiresAt);
    }
}

using System.Security.Claims;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Auth;

/// <summary>
/// Who is calling, from the token: a staff member (user id, role) or a paired device (device id, role
/// <c>client</c> or <c>family</c>, the client it belongs to).
/// </summary>
public sealed record Caller(string Id, string Role, string DisplayName, string? ClientId, string? DeviceKind)
{
    public bool IsClinician => Role is Roles.Counselor or Roles.Supervisor;

    public bool IsAdmin => Role == Roles.Admin;

    public bool IsDevice => Role is Roles.Client or Roles.Family;

    public SenderDto ToSender() => new(Id, Role, DisplayName);

    public static Caller? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirst(TokenClaims.Subject)?.Value;
        var role = principal.FindFirst(TokenClaims.Role)?.Value;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(role))
        {
            return null;
        }

        return new Caller(
            id,
            role,
            principal.FindFirst(TokenClaims.Name)?.Value ?? id,
            principal.FindFirst(TokenClaims.ClientId)?.Value,
            principal.FindFirst(TokenClaims.DeviceKind)?.Value);
    }

    /// <summary>For endpoints behind an authorization policy, where a caller always exists.</summary>
    public static Caller Require(ClaimsPrincipal principal) =>
        From(principal) ?? throw new InvalidOperationException("The endpoint requires an authenticated caller.");
}

/// <summary>Claim names in our tokens (short JWT names; inbound claim mapping is off).</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string ClientId = "client_id";
    public const string DeviceKind = "device_kind";

    /// <summary>The sign-in session of a staff token; sign-out ends it.</summary>
    public const string SessionId = "sid";
}

/// <summary>Authorization policy names.</summary>
public static class AuthPolicies
{
    /// <summary>Counselor, supervisor or admin.</summary>
    public const string Staff = "staff";

    /// <summary>Counselor or supervisor: the roles that see client records and session content.</summary>
    public const string Clinician = "clinician";

    public const string Admin = "admin";

    /// <summary>A paired device (client or family).</summary>
    public const string Device = "device";
}

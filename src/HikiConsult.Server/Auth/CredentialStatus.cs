using System.Security.Claims;
using Dapper;
using HikiConsult.Contracts;
using HikiConsult.Server.Storage;

namespace HikiConsult.Server.Auth;

/// <summary>
/// Checked on every authenticated request, every hub connection and, for open connections, on a schedule: a token
/// works only while what it claims is what the store says. Staff: the account is enabled, has the token's role, and
/// the token's sign-in session is not signed out. Devices: not revoked, of the token's client, with the token's role
/// and kind. A token minted with a stolen signing key for another role or client fails here.
/// </summary>
public sealed class CredentialStatus(IDatabase database)
{
    public async Task<bool> IsActiveAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken = default)
    {
        var caller = Caller.From(principal);
        if (caller is null)
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        if (caller.IsDevice)
        {
            var expectedRole = caller.DeviceKind == DeviceKinds.Family ? Roles.Family : Roles.Client;
            return caller.Role == expectedRole && caller.ClientId is not null && caller.DeviceKind is not null
                && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM devices WHERE id = @id AND revoked_at IS NULL AND client_id = @clientId AND kind = @kind",
                    new { id = caller.Id, clientId = caller.ClientId, kind = caller.DeviceKind }, cancellationToken: cancellationToken)) > 0;
        }

        var sessionId = principal!.FindFirst(TokenClaims.SessionId)?.Value;
        return sessionId is not null && caller.ClientId is null && caller.DeviceKind is null
            && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM users u JOIN auth_sessions s ON s.user_id = u.id " +
                "WHERE u.id = @id AND u.disabled_at IS NULL AND u.role = @role AND s.id = @sessionId AND s.revoked_at IS NULL",
                new { id = caller.Id, role = caller.Role, sessionId }, cancellationToken: cancellationToken)) > 0;
    }
}

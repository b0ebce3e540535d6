using System.Text.RegularExpressions;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.Auth;

/// <summary>A new staff account.</summary>
public sealed record CreateUserRequest(string Username, string DisplayName, string Role, string Password);

/// <summary>A staff account as the admin sees it (never the hash).</summary>
public sealed record UserAccountDto(string Id, string Username, string DisplayName, string Role, DateTimeOffset CreatedAt, bool Disabled);

/// <summary>Account management and the audit log: admin only. Admins see no client records or session content.</summary>
internal static partial class AdminEndpoints
{
    public const int MinPasswordLength = 10;

    public static void MapAdminEndpoints(this WebApplication app)
    {
        var users = app.MapGroup("/api/users").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);
        users.MapGet("", ListUsersAsync).WithSummary("Lists staff accounts.");
        users.MapPost("", CreateUserAsync).WithSummary("Creates a staff account.");
        users.MapDelete("/{id}", DisableUserAsync).WithSummary("Disables a staff account; its tokens stop working at once.");

        app.MapGet("/api/audit", ListAuditAsync)
            .WithTags("Admin")
            .RequireAuthorization(AuthPolicies.Admin)
            .WithSummary("Who read which client record or session history, newest first.");
    }

    private static async Task<Ok<IReadOnlyList<UserAccountDto>>> ListUsersAsync(
        System.Security.Claims.ClaimsPrincipal principal, UserStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(Caller.Require(principal), AuditActions.UsersRead, "users", "*", cancellationToken);
        var users = await store.ListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<UserAccountDto>>([.. users.Select(ToDto)]);
    }

    private static async Task<Results<Created<UserAccountDto>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(
        CreateUserRequest? request, UserStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["body"] = ["A JSON body with username, displayName, role and password is required."];
        }
        else
        {
            if (string.IsNullOrWhiteSpace(request.Username) || !UsernameShape().IsMatch(request.Username))
            {
                errors["username"] = ["3 to 64 characters: letters, digits, '.', '_' or '-'."];
            }

            if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > 100)
            {
                errors["displayName"] = ["Required, at most 100 characters."];
            }

            if (request.Role is null || !UserStore.StaffRoles.Contains(request.Role))
            {
                errors["role"] = [$"One of: {Roles.Counselor}, {Roles.Supervisor}, {Roles.Admin}."];
            }

            if (request.Password is null || request.Password.Length < MinPasswordLength)
            {
                errors["password"] = [$"At least {MinPasswordLength} characters."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var user = await store.CreateAsync(request!.Username, request.DisplayName.Trim(), request.Role!, request.Password!, cancellationToken);
            return TypedResults.Created($"/api/users/{user.Id}", ToDto(user));
        }
        catch (DuplicateUsernameException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Username taken", detail: ex.Message);
        }
    }

    private static async Task<Results<NoContent, NotFound>> DisableUserAsync(string id, UserStore store, CredentialRevocations revocations, CancellationToken cancellationToken)
    {
        if (!EntityIds.IsUserId(id) || !await store.DisableAsync(id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        await revocations.RevokeAsync(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem>> ListAuditAsync(
        System.Security.Claims.ClaimsPrincipal principal, AuditLog audit, string? targetId, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["From 1 to 1000."] });
        }

        // Reading the audit log is itself audited: it says who read what about whom.
        await audit.RecordAsync(Caller.Require(principal), AuditActions.AuditRead, "audit", targetId ?? "*", cancellationToken);

        return TypedResults.Ok(await audit.ListAsync(targetId, take, cancellationToken));
    }

    private static UserAccountDto ToDto(UserRecord u) => new(u.Id, u.Username, u.DisplayName, u.Role, u.CreatedAt, u.DisabledAt is not null);

    [GeneratedRegex("^[A-Za-z0-9._-]{3,64}$")]
    private static partial Regex UsernameShape();
}

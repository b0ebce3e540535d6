using System.Security.Claims;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.Auth;

internal static class AuthEndpoints
{
    public const string LoginFailed = "Unknown user or wrong password.";

    public static void MapAuthEndpoints(this WebApplication app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");

        auth.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(AuthExtensions.LoginRateLimit)
            .WithSummary("Signs a staff member in and returns a bearer token.");

        auth.MapGet("/me", Me)
            .RequireAuthorization()
            .WithSummary("Who the token belongs to.");
    }

    private static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest? request, UserStore users, TokenService tokens, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = ["A username and a password are required."],
            });
        }

        var user = await users.VerifyAsync(request.Username.Trim(), request.Password, cancellationToken);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: LoginFailed);
        }

        var (token, expiresAt) = tokens.IssueForUser(user);
        return TypedResults.Ok(new LoginResponse(token, expiresAt, user.ToInfo()));
    }

    private static Ok<UserInfo> Me(ClaimsPrincipal principal)
    {
        var caller = Caller.Require(principal);
        return TypedResults.Ok(new UserInfo(caller.Id, caller.DisplayName, caller.Role));
    }
}

using System.Security.Claims;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.Auth;

internal static class AuthEndpoints
{
    public const string LoginFailed = "Unknown user or wrong password.";
    public const string RefreshFailed = "The refresh token is not valid (used, expired or signed out): sign in again.";

    public static void MapAuthEndpoints(this WebApplication app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");

        auth.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(AuthExtensions.LoginRateLimit)
            .WithSummary("Signs a staff member in and returns a short-lived access token and a refresh token.");

        auth.MapPost("/refresh", RefreshAsync)
            .AllowAnonymous()
            .RequireRateLimiting(AuthExtensions.RefreshRateLimit)
            .WithSummary("Renews the access token with a refresh token, which is used up; returns a new pair.");

        auth.MapPost("/logout", LogoutAsync)
            .RequireAuthorization(AuthPolicies.Staff)
            .WithSummary("Signs out: the sign-in's access and refresh tokens stop working at once, open hub connections close.");

        auth.MapGet("/me", Me)
            .RequireAuthorization()
            .WithSummary("Who the token belongs to.");
    }

    private static async Task<Results<Ok<SignInResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest? request, LoginGuard guard, AuthSessionStore sessions, TokenService tokens, TimeProvider time, HttpContext httpContext)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = ["A username and a password are required."],
            });
        }

        var attempt = await guard.AttemptAsync(request.Username.Trim(), request.Password, httpContext.RequestAborted);
        if (attempt.LockedUntil is { } until)
        {
            // Unknown usernames lock the same way, so this tells nothing about whether the account exists.
            var wait = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
            httpContext.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Sign-in locked", type: RateLimitProblems.Type,
                detail: $"Too many failed sign-ins for this username: try again in {wait} seconds.");
        }

        if (attempt.User is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: LoginFailed);
        }

        return TypedResults.Ok(await SignInAsync(attempt.User, sessions, tokens, httpContext.RequestAborted));
    }

    private static async Task<Results<Ok<SignInResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest? request, AuthSessionStore sessions, UserStore users, TokenService tokens, CredentialRevocations revocations, AuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request?.RefreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["The refresh token of the last sign-in or renewal is required."] });
        }

        var outcome = await sessions.RotateAsync(request.RefreshToken, cancellationToken);
        if (outcome.Result == RefreshResult.Reused)
        {
            // A used token came back: someone holds a copy. The whole sign-in ends, for both holders.
            var user = await users.FindByIdAsync(outcome.UserId!, cancellationToken);
            await revocations.RevokeAsync(outcome.UserId!, outcome.SessionId);
            await audit.RecordAsync(new Caller(outcome.UserId!, user?.Role ?? "unknown", outcome.UserId!, null, null),
                AuditActions.RefreshReuse, "auth-session", outcome.SessionId!, cancellationToken);
        }

        if (outcome.Result != RefreshResult.Rotated)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Renewal failed", detail: RefreshFailed);
        }

        var account = await users.FindByIdAsync(outcome.UserId!, cancellationToken);
        if (account is null || account.DisabledAt is not null)
        {
            await sessions.RevokeAsync(outcome.SessionId!, "account-disabled", cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Renewal failed", detail: RefreshFailed);
        }

        var (token, expiresAt) = tokens.IssueForUser(account, outcome.SessionId!);
        return TypedResults.Ok(new SignInResponse(token, expiresAt, account.ToInfo(), outcome.RefreshToken!, outcome.RefreshExpiresAt));
    }

    private static async Task<NoContent> LogoutAsync(
        ClaimsPrincipal principal, AuthSessionStore sessions, CredentialRevocations revocations, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        var sessionId = principal.FindFirst(TokenClaims.SessionId)!.Value;
        await sessions.RevokeAsync(sessionId, "logout", cancellationToken);
        await revocations.RevokeAsync(caller.Id, sessionId);
        await audit.RecordAsync(caller, AuditActions.Logout, "auth-session", sessionId, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<SignInResponse> SignInAsync(UserRecord user, AuthSessionStore sessions, TokenService tokens, CancellationToken cancellationToken)
    {
        var (sessionId, refreshToken, refreshExpiresAt) = await sessions.CreateAsync(user.Id, cancellationToken);
        var (token, expiresAt) = tokens.IssueForUser(user, sessionId);
        return new SignInResponse(token, expiresAt, user.ToInfo(), refreshToken, refreshExpiresAt);
    }

    private static Ok<UserInfo> Me(ClaimsPrincipal principal)
    {
        var caller = Caller.Require(principal);
        return TypedResults.Ok(new UserInfo(caller.Id, caller.DisplayName, caller.Role));
    }
}

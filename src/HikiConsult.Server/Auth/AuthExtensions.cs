using System.Threading.RateLimiting;
using HikiConsult.Contracts;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Devices;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace HikiConsult.Server.Auth;

public static class AuthExtensions
{
    public const string LoginRateLimit = "login";
    public const string PairingRateLimit = "pairing";
    public const string RefreshRateLimit = "refresh";

    /// <summary>Bearer tokens (header, or access_token on hub requests), roles, revocation checks, rate limits, audit.</summary>
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<DeviceStore>();
        services.AddSingleton<CredentialStatus>();
        services.AddSingleton<AuthSessionStore>();
        services.AddSingleton<LoginGuard>();
        services.AddHostedService<CredentialRecheck>();

        // After the silo (AddSilo): it subscribes to a grain when it starts.
        services.AddSingleton<CredentialRevocations>();
        services.AddHostedService(sp => sp.GetRequiredService<CredentialRevocations>());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, NotFoundForForbiddenHandler>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyProvider, IOptions<AuthOptions>, TimeProvider>((o, keys, auth, time) =>
            {
                o.MapInboundClaims = false;

                // The challenge names the error code only, never why (no "The token expired at …").
                o.IncludeErrorDetails = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = keys.Key,
                    ValidateIssuerSigningKey = true,
                    NameClaimType = TokenClaims.Name,
                    RoleClaimType = TokenClaims.Role,
                    ClockSkew = TimeSpan.FromMinutes(1),

                    // The server's clock, the one that issued the token (tests move it; 15-minute tokens need it).
                    LifetimeValidator = (notBefore, expires, _, parameters) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        return (notBefore is null || notBefore.Value <= now + parameters.ClockSkew)
                            && expires is not null && expires.Value > now - parameters.ClockSkew;
                    },
                };
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        // Browsers cannot set headers on WebSockets: hubs also take the token from the query.
                        if (context.HttpContext.Request.Path.StartsWithSegments("/hubs")
                            && context.Request.Query.TryGetValue("access_token", out var token)
                            && !string.IsNullOrEmpty(token))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = async context =>
                    {
                        var status = context.HttpContext.RequestServices.GetRequiredService<CredentialStatus>();
                        if (!await status.IsActiveAsync(context.Principal, context.HttpContext.RequestAborted))
                        {
                            context.Fail("The credential is no longer valid.");
                        }
                    },
                    OnChallenge = context =>
                    {
                        if (context.AuthenticateFailure is not null)
                        {
                            context.HandleResponse();
                            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                        }

                        return Task.CompletedTask;
                    },
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Staff, p => p.RequireAuthenticatedUser().RequireRole(Roles.Counselor, Roles.Supervisor, Roles.Admin))
            .AddPolicy(AuthPolicies.Clinician, p => p.RequireAuthenticatedUser().RequireRole(Roles.Counselor, Roles.Supervisor))
            .AddPolicy(AuthPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(AuthPolicies.Device, p => p.RequireAuthenticatedUser().RequireRole(Roles.Client, Roles.Family));

        var limits = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RateLimitProblems.OnRejectedAsync;
            o.AddPolicy(RefreshRateLimit, context => PerAddress(context, limits.RefreshPermitLimit, limits.RateLimitWindow));
            o.AddPolicy(LoginRateLimit, context => PerAddress(context, limits.LoginPermitLimit, limits.RateLimitWindow));
            o.AddPolicy(PairingRateLimit, context => PerAddress(context, limits.PairingPermitLimit, limits.RateLimitWindow));
        });
        return builder;
    }

    public static WebApplication MapAuth(this WebApplication app)
    {
        app.MapAuthEndpoints();
        app.MapAdminEndpoints();
        return app;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}

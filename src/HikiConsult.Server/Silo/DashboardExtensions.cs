using HikiConsult.Server.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace HikiConsult.Server.Silo;

/// <summary>
/// The Orleans Dashboard (grain counts, calls, silo health), served to the admin role only, behind the product's own
/// bearer tokens. A browser cannot put a bearer header on a page load, so an admin's console first posts its token to
/// <c>POST /api/admin/dashboard-session</c>, which sets it as an HttpOnly cookie scoped to the dashboard's path; the
/// token in it is validated exactly like a header's (signature, lifetime, the account still enabled).
/// </summary>
public static class DashboardExtensions
{
    public const string CookieName = "hikiconsult.dashboard";

    /// <summary>Adds the dashboard's silo services and lets its path take the token from its cookie, when enabled.</summary>
    public static ISiloBuilder AddAdminDashboard(this ISiloBuilder silo, AdminDashboardOptions options, IHostEnvironment environment)
    {
        if (options.IsEnabledIn(environment))
        {
            silo.AddDashboard();
            silo.Services.AddDashboardTokenCookie(options.Path);
        }

        return silo;
    }

    /// <summary>Maps the dashboard and the endpoint that opens it for an admin, when enabled.</summary>
    public static WebApplication MapAdminDashboard(this WebApplication app)
    {
        var options = AdminDashboardOptions.From(app.Configuration);
        if (!options.IsEnabledIn(app.Environment))
        {
            return app;
        }

        // Not part of the product's API (its trace endpoint streams without end): kept out of the OpenAPI document.
        app.MapOrleansDashboard(routePrefix: options.Path).RequireAuthorization(AuthPolicies.Admin).ExcludeFromDescription();
        app.MapPost("/api/admin/dashboard-session", (HttpContext context) =>
            {
                var header = context.Request.Headers.Authorization.ToString();
                var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
                if (string.IsNullOrEmpty(token))
                {
                    return Results.NotFound();
                }

                context.Response.Cookies.Append(CookieName, token, new CookieOptions
                {
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Strict,
                    Path = options.Path,
                });
                return Results.NoContent();
            })
            .WithTags("Admin")
            .WithSummary("Opens the Orleans Dashboard for this admin: sets the caller's token as a cookie for the dashboard's path only.")
            .RequireAuthorization(AuthPolicies.Admin);
        return app;
    }

    /// <summary>Lets the dashboard's path take the token from its cookie (after the other sources, never before them).</summary>
    private static IServiceCollection AddDashboardTokenCookie(this IServiceCollection services, string path) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            var inner = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = async context =>
            {
                await inner(context);
                if (context.Token is null
                    && context.HttpContext.Request.Path.StartsWithSegments(path)
                    && context.Request.Cookies.TryGetValue(CookieName, out var token)
                    && !string.IsNullOrEmpty(token))
                {
                    context.Token = token;
                }
            };
        });
}

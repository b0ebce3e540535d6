using Microsoft.AspNetCore.Http.Json;

namespace HikiConsult.Server.Web;

/// <summary>ProblemDetails for every error, the OpenAPI document, the security headers and the static pages.</summary>
public static class WebExtensions
{
    /// <summary>Where the embedded default listens when no URL or port is configured.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        // The embedded default listens on 5080 wherever it is started from (appsettings.json is only found
        // when the content root is the project); --urls, ASPNETCORE_URLS, *_HTTP_PORTS or Kestrel endpoints win.
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Model binding failures carry no reason of their own.
            if (context.ProblemDetails.Status == StatusCodes.Status400BadRequest && context.ProblemDetails.Detail is null
                && context.ProblemDetails is not HttpValidationProblemDetails)
            {
                context.ProblemDetails.Detail = "The request could not be read: send a JSON body with the documented fields (see /openapi/v1.json).";
            }
        });
        builder.Services.AddOpenApi(o => o.AddContractDocument());

        // A malformed body is a 400 ProblemDetails, not an exception page, in every environment.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNameCaseInsensitive = true);
        return builder;
    }

    /// <summary>The middleware pipeline, in order.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseBrowserHardening();
        // HSTS only where TLS is terminated for real; the middleware itself adds it to HTTPS answers only.
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePrecompressedAssets();
        // "/avatar" serves avatar/index.html as is (no redirect to "/avatar/").
        app.UseDefaultFiles(new DefaultFilesOptions { RedirectToAppendTrailingSlash = false });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// The OpenAPI document at /openapi/v1.json; the counselor console at <c>/</c> (wwwroot/index.html) and the
    /// avatar client at <c>/avatar</c> (wwwroot/avatar/index.html), including their client-side routes.
    /// </summary>
    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapOpenApi();
        // Browsers and bookmarks ask for /favicon.ico even though the pages link the SVG icon.
        app.MapGet("/favicon.ico", (IWebHostEnvironment env, HttpContext context) =>
        {
            var icon = env.WebRootFileProvider.GetFileInfo("favicon.svg");
            if (!icon.Exists) return Results.NotFound();
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Stream(icon.CreateReadStream(), "image/svg+xml");
        }).ExcludeFromDescription();
        app.MapFallbackToFile("/avatar", "avatar/index.html");
        app.MapFallbackToFile("/avatar/{*path:nonfile}", "avatar/index.html");
        app.MapFallbackToFile("/", "index.html");
        return app;
    }
}

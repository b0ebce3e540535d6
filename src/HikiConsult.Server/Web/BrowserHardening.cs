namespace HikiConsult.Server.Web;

/// <summary>
/// Response headers that keep the pages and the API's clinical data out of other sites' frames, out of shared
/// caches and away from injected scripts. The pages are built so that this CSP needs no 'unsafe-inline'.
/// </summary>
public static class BrowserHardening
{
    /// <summary>Scripts, styles and connections (REST and the SignalR hubs) only from this origin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; media-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UseBrowserHardening(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var response = context.Response;
        response.OnStarting(() =>
        {
            var headers = response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // API answers carry clinical data, and the pages must never be served stale after a deploy (their
            // scripts have fingerprinted names): neither may stay in any cache, the browser's included.
            var path = context.Request.Path;
            var isHtml = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            if (isHtml || path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });
}

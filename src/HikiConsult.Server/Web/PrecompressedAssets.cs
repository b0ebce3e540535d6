using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace HikiConsult.Server.Web;

/// <summary>
/// Serves Vite's output under /assets/: names carry a content hash, so they are cached for a year as immutable,
/// and the brotli or gzip copy written by the web build (web/vite.config.mjs) is sent when the browser takes it.
/// MapStaticAssets would do this only for files the .NET SDK fingerprints itself; Vite has already done that.
/// </summary>
public static class PrecompressedAssets
{
    public const string Prefix = "/assets";
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IApplicationBuilder UsePrecompressedAssets(this WebApplication app)
    {
        var files = app.Environment.WebRootFileProvider;
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                || !request.Path.StartsWithSegments(Prefix) || request.Path.Value is not { } path)
            {
                await next(context);
                return;
            }
            var file = files.GetFileInfo(path);
            if (!file.Exists || file.IsDirectory || !ContentTypes.TryGetContentType(path, out var contentType))
            {
                await next(context);
                return;
            }
            string? encoding = null;
            foreach (var (name, suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
            {
                if (!Accepts(request, name)) continue;
                var compressed = files.GetFileInfo(path + suffix);
                if (compressed.Exists)
                {
                    file = compressed;
                    encoding = name;
                    break;
                }
            }
            var response = context.Response;
            response.ContentType = contentType;
            response.ContentLength = file.Length;
            response.Headers.CacheControl = ImmutableCacheControl;
            response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (encoding is not null) response.Headers.ContentEncoding = encoding;
            if (HttpMethods.IsHead(request.Method)) return;
            await response.SendFileAsync(file, context.RequestAborted);
        });
    }

    private static bool Accepts(HttpRequest request, string coding)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        return accepted.Any(e => string.Equals(e.Value.Value, coding, StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0);
    }
}

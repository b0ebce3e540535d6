using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HikiConsult.Server.Auth;

/// <summary>How every 429 answers: a ProblemDetails with a <c>type</c>, and <c>Retry-After</c> when the limiter knows it.</summary>
public static class RateLimitProblems
{
    public const string Type = "https://tools.ietf.org/html/rfc6585#section-4";

    public static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            type: Type,
            detail: $"Too many requests from this address: try again in {seconds} seconds.").ExecuteAsync(context.HttpContext);
    }
}

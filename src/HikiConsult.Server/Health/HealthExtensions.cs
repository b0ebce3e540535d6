using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HikiConsult.Server.Health;

/// <summary>Health reports for the health response writer.</summary>
public sealed record HealthReportDto(string Status, IReadOnlyList<HealthCheckDto> Checks);

public sealed record HealthCheckDto(string Name, string Status, string? Description);

public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c>: liveness and readiness in one (200 when every check passes, 503 otherwise);
    /// <c>/health/live</c>: the process answers; <c>/health/ready</c>: it can serve (database included);
    /// <c>/api/runtime</c>: the process's counters, for admins.
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).WithTags("Health");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).WithTags("Health");
        app.MapRuntimeFigures();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var dto = new HealthReportDto(
            report.Status.ToString(),
            [.. report.Entries.Select(e => new HealthCheckDto(e.Key, e.Value.Status.ToString(), e.Value.Description))]);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(dto, JsonSerializerOptions.Web));
    }
}

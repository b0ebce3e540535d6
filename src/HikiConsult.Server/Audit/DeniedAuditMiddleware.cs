using HikiConsult.Contracts;
using HikiConsult.Server.Auth;

namespace HikiConsult.Server.Audit;

/// <summary>
/// Audits every 404 a signed-in caller gets from a known endpoint (what it may not see answers like what does not
/// exist, and a run of such answers is how someone probes for records). Outside authorization, so that role refusals
/// (<see cref="NotFoundForForbiddenHandler"/>) are seen too. Names the route's id, never a body.
/// </summary>
internal sealed class DeniedAuditMiddleware(RequestDelegate next, AuditLog audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status404NotFound
            || context.GetEndpoint() is not RouteEndpoint endpoint
            || Caller.From(context.User) is not { } caller)
        {
            return;
        }

        var id = context.Request.RouteValues.TryGetValue("id", out var value) ? value?.ToString() : null;
        var target = id is { Length: > 0 and <= InputLimits.MaxId } && TextRules.Problem(id, multiline: false) is null ? id : "-";
        await audit.RecordAsync(caller, AuditActions.Denied, $"{context.Request.Method} {endpoint.RoutePattern.RawText?.TrimEnd('/')}", target, CancellationToken.None);
    }
}

using System.Security.Claims;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// Risk alerts over REST: the open (unacknowledged) alerts the caller may see, and a client's alert history.
/// Acknowledging is a counselor hub method (<c>AcknowledgeAlert</c>), next to the pushes.
/// </summary>
public static class AlertEndpoints
{
    public const int DefaultHistoryLimit = 100;

    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", ListOpenAsync)
            .RequireAuthorization(AuthPolicies.Clinician)
            .WithTags("Early consultation")
            .WithSummary("Risk alerts not yet acknowledged (open or escalated), oldest first: a supervisor's are all, a counselor's those of assigned clients.");
        app.MapGet("/api/clients/{id}/alerts", HistoryAsync)
            .RequireAuthorization(AuthPolicies.Clinician)
            .WithTags("Early consultation")
            .WithSummary("A client's risk alerts of every status, newest first, with acknowledgement notes.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<RiskAlertDto>>, ValidationProblem>> ListOpenAsync(
        string? status, ClaimsPrincipal principal, IEarlyConsultationStore store, ClientAccess access, AuditLog audit, CancellationToken cancellationToken)
    {
        if (status is not null && status != RiskAlertStatuses.Open)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = ["Only 'open' (alerts not yet acknowledged) is listed here; a client's full history is at /api/clients/{id}/alerts."],
            });
        }

        var caller = Caller.Require(principal);
        var alerts = await store.ListUnacknowledgedAlertsAsync(null, cancellationToken);
        var visible = new List<RiskAlertDto>(alerts.Count);
        var seen = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var alert in alerts)
        {
            if (!seen.TryGetValue(alert.ClientId, out var maySee))
            {
                maySee = await access.FindVisibleClientAsync(caller, alert.ClientId) is not null;
                seen[alert.ClientId] = maySee;
            }

            if (maySee)
            {
                visible.Add(alert);
            }
        }

        await audit.RecordAsync(caller, EarlyConsultationAudit.AlertsRead, EarlyConsultationAudit.ClientTarget, [.. visible.Select(a => a.ClientId).Distinct()], cancellationToken);
        return TypedResults.Ok<IReadOnlyList<RiskAlertDto>>(visible);
    }

    private static async Task<Results<Ok<IReadOnlyList<RiskAlertRecord>>, NotFound, ValidationProblem>> HistoryAsync(
        string id, int? limit, ClaimsPrincipal principal, IEarlyConsultationStore store, EarlyConsultationAccess access, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (!await access.MayReadAsync(caller, id))
        {
            return TypedResults.NotFound();
        }

        var take = limit ?? DefaultHistoryLimit;
        if (take is < 1 or > ClientEarlyConsultationGrain.MaxListLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"From 1 to {ClientEarlyConsultationGrain.MaxListLimit}."] });
        }

        await audit.RecordAsync(caller, EarlyConsultationAudit.AlertsRead, EarlyConsultationAudit.ClientTarget, id, cancellationToken);
        return TypedResults.Ok(await store.ListAlertHistoryAsync(id, take, cancellationToken));
    }
}

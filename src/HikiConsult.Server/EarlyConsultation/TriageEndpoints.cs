using System.Security.Claims;
using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains.Counselors;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>The clinic's triage queue: whom to reach first, and why.</summary>
public static class TriageEndpoints
{
    public static IEndpointRouteBuilder MapTriageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/triage", GetAsync)
            .RequireAuthorization(AuthPolicies.Clinician)
            .WithTags("Early consultation")
            .WithSummary("The triage queue, highest priority first, each entry with its reasons and their data; a counselor sees assigned clients only.");
        return app;
    }

    private static async Task<Ok<TriageQueueDto>> GetAsync(ClaimsPrincipal principal, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        var snapshot = await grains.GetGrain<ITriageGrain>(EarlyConsultationOptions.DefaultClinic).GetQueue();
        IEnumerable<RankedTriageEntry> entries = snapshot.Entries;
        if (caller.Role != Roles.Supervisor)
        {
            var caseload = (await grains.GetGrain<ICounselorGrain>(caller.Id).GetCaseload()).ToHashSet(StringComparer.Ordinal);
            entries = entries.Where(e => caseload.Contains(e.Entry.ClientId));
        }

        var queue = new TriageQueueDto([.. entries.Select(e => e.Entry)], snapshot.At, snapshot.Label);
        await audit.RecordAsync(caller, EarlyConsultationAudit.TriageRead, EarlyConsultationAudit.ClientTarget, [.. queue.Entries.Select(e => e.ClientId)], cancellationToken);
        return TypedResults.Ok(queue);
    }
}

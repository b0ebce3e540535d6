using System.Globalization;
using System.Security.Claims;
using Orleans;
using HikiConsult.Domain;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Research;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// A client's Kato 2020 isolation records, research biomarker records and session-history timeline. Clinicians who
/// see the client only; every read is audited.
/// </summary>
public static class ClientRecordEndpoints
{
    public static IEndpointRouteBuilder MapClientRecordEndpoints(this IEndpointRouteBuilder app)
    {
        var client = app.MapGroup("/api/clients/{id}").WithTags("Early consultation").RequireAuthorization(AuthPolicies.Clinician);
        client.MapPost("/isolation-records", RecordIsolationAsync)
            .WithSummary("Keeps an isolation record and returns its Kato 2020 classification: notMet, preHikikomori or hikikomori, with severity and reasons.");
        client.MapGet("/isolation-records", ListIsolationAsync).WithSummary("The client's isolation records with their classifications, newest first.");
        client.MapPost("/biomarkers", AddBiomarkerAsync)
            .WithSummary("Keeps a research biomarker record (Setoyama 2022 analytes), labelled research data, not diagnostic; never used in triage.");
        client.MapGet("/biomarkers", ListBiomarkersAsync).WithSummary("The client's research biomarker records, newest first.");
        client.MapGet("/timeline", TimelineAsync)
            .WithSummary("Session-history analytics for charts: assessment series with thresholds, engagement per week, activity by hour, Kato history, summary.");
        return app;
    }

    private static async Task<Results<Created<IsolationRecordEntry>, NotFound, ValidationProblem>> RecordIsolationAsync(
        string id, IsolationRecordRequest? request, ClaimsPrincipal principal, EarlyConsultationAccess access, IGrainFactory grains)
    {
        var caller = Caller.Require(principal);
        if (!await access.MayReadAsync(caller, id))
        {
            return TypedResults.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        Require(errors, request?.EstimatedMonthsOfContinuousIsolation, "estimatedMonthsOfContinuousIsolation", "Estimated months of continuous isolation (a number, 0 or more).");
        Require(errors, request?.DaysOutOfHomePerWeek, "daysOutOfHomePerWeek", "Days a week the person goes out of the home (0-7).");
        Require(errors, request?.RarelyLeavesOneRoom, "rarelyLeavesOneRoom", "true or false.");
        Require(errors, request?.FunctionalImpairment, "functionalImpairment", "true or false: significant functional impairment with the isolation.");
        Require(errors, request?.Distress, "distress", "true or false: distress with the isolation.");
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var record = new IsolationRecord(
            request!.EstimatedMonthsOfContinuousIsolation!.Value,
            request.DaysOutOfHomePerWeek!.Value,
            request.RarelyLeavesOneRoom!.Value,
            request.FunctionalImpairment!.Value,
            request.Distress!.Value,
            request.CoOccurringConditions ?? []);
        var problems = record.Validate();
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["record"] = [.. problems] }, detail: string.Join("; ", problems) + ".");
        }

        var entry = await grains.GetGrain<IClientEarlyConsultationGrain>(id).RecordIsolation(record, caller.Id);
        return TypedResults.Created($"/api/clients/{id}/isolation-records", entry);
    }

    private static Task<Results<Ok<IReadOnlyList<IsolationRecordEntry>>, NotFound, ValidationProblem>> ListIsolationAsync(
        string id, int? limit, ClaimsPrincipal principal, EarlyConsultationAccess access, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken) =>
        ListAuditedAsync(id, limit, principal, access, audit, EarlyConsultationAudit.IsolationRecordsRead,
            n => grains.GetGrain<IClientEarlyConsultationGrain>(id).GetIsolationRecords(n), cancellationToken);

    private static async Task<Results<Created<BiomarkerEntry>, NotFound, ValidationProblem>> AddBiomarkerAsync(
        string id, BiomarkerRequest? request, ClaimsPrincipal principal, EarlyConsultationAccess access, IGrainFactory grains)
    {
        var caller = Caller.Require(principal);
        if (!await access.MayReadAsync(caller, id))
        {
            return TypedResults.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        Require(errors, request?.Analyte, "analyte", $"One of: {string.Join(", ", KnownAnalytes.All.Select(a => a.Id))}.");
        Require(errors, request?.Value, "value", "The measured value, a number.");
        Require(errors, request?.Unit, "unit", "The unit, e.g. µmol/L.");
        Require(errors, request?.Assay, "assay", "Method and laboratory.");
        BiologicalSex sex = default;
        if (request?.Sex is null || !Enum.TryParse(request.Sex, ignoreCase: true, out sex) || !Enum.IsDefined(sex) || int.TryParse(request.Sex, out _))
        {
            errors["sex"] = ["One of: female, male, other, unknown."];
        }

        DateOnly date = default;
        if (request?.Date is null || !DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            errors["date"] = ["The sampling date, yyyy-MM-dd."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var entry = await grains.GetGrain<IClientEarlyConsultationGrain>(id)
                .AddBiomarker(new BiomarkerRecord(request!.Analyte!, request.Value!.Value, request.Unit!, sex, request.Assay!, date), caller.Id);
            return TypedResults.Created($"/api/clients/{id}/biomarkers", entry);
        }
        catch (InvalidRecordException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["record"] = [.. ex.Problems] }, detail: string.Join("; ", ex.Problems) + ".");
        }
    }

    private static Task<Results<Ok<IReadOnlyList<BiomarkerEntry>>, NotFound, ValidationProblem>> ListBiomarkersAsync(
        string id, int? limit, ClaimsPrincipal principal, EarlyConsultationAccess access, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken) =>
        ListAuditedAsync(id, limit, principal, access, audit, EarlyConsultationAudit.BiomarkersRead,
            n => grains.GetGrain<IClientEarlyConsultationGrain>(id).GetBiomarkers(n), cancellationToken);

    /// <summary>A client's records of one kind: 404 for a client the caller may not see, the read audited before it is served.</summary>
    private static async Task<Results<Ok<IReadOnlyList<T>>, NotFound, ValidationProblem>> ListAuditedAsync<T>(
        string id, int? limit, ClaimsPrincipal principal, EarlyConsultationAccess access, AuditLog audit, string auditAction,
        Func<int, Task<IReadOnlyList<T>>> list, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (!await access.MayReadAsync(caller, id))
        {
            return TypedResults.NotFound();
        }

        if (AssessmentEndpoints.CheckLimit(limit) is { } problem)
        {
            return problem;
        }

        await audit.RecordAsync(caller, auditAction, EarlyConsultationAudit.ClientTarget, id, cancellationToken);
        return TypedResults.Ok(await list(limit ?? AssessmentEndpoints.DefaultListLimit));
    }

    private static async Task<Results<Ok<Timeline>, NotFound>> TimelineAsync(
        string id, ClaimsPrincipal principal, EarlyConsultationAccess access, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (!await access.MayReadAsync(caller, id))
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync(caller, EarlyConsultationAudit.TimelineRead, EarlyConsultationAudit.ClientTarget, id, cancellationToken);
        return TypedResults.Ok(await grains.GetGrain<IClientEarlyConsultationGrain>(id).GetTimeline());
    }

    private static void Require<T>(Dictionary<string, string[]> errors, T? value, string field, string message)
    {
        if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
        {
            errors[field] = [$"Required. {message}"];
        }
    }
}

using System.Security.Claims;
using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.Sessions;

public static class SessionEndpoints
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static WebApplication MapSessions(this WebApplication app)
    {
        var sessions = app.MapGroup("/api/sessions").WithTags("Sessions");
        sessions.MapPost("", CreateAsync).RequireAuthorization(AuthPolicies.Clinician).WithSummary("Schedules a session with a client.");
        sessions.MapGet("/{id}", GetAsync).RequireAuthorization().WithSummary("One session with its participants and presence.");
        sessions.MapGet("/{id}/events", EventsAsync).RequireAuthorization().WithSummary("The session's log, paged by seq.");
        sessions.MapGet("/{id}/transcript", TranscriptAsync).RequireAuthorization().WithSummary("A readable transcript (text/plain) for the clinic's records.");
        sessions.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(AuthPolicies.Clinician).WithSummary("Cancels a session that has not become active.");
        return app;
    }

    private static async Task<Results<Created<SessionDto>, NotFound, ValidationProblem>> CreateAsync(
        CreateSessionRequest? request, ClaimsPrincipal principal, ClientAccess access, IGrainFactory grains)
    {
        var caller = Caller.Require(principal);
        if (request is null || string.IsNullOrWhiteSpace(request.ClientId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["clientId"] = ["The client's id is required."] });
        }

        if (await access.FindVisibleClientAsync(caller, request.ClientId) is null)
        {
            return TypedResults.NotFound();
        }

        var id = EntityIds.NewSessionId();
        var session = await grains.GetGrain<IConsultationSessionGrain>(id)
            .Create(new NewSession(request.ClientId, request.ScheduledAt, request.FamilyOnly, caller.Id));
        return TypedResults.Created($"/api/sessions/{id}", session);
    }

    private static async Task<Results<Ok<SessionDto>, NotFound>> GetAsync(string id, ClaimsPrincipal principal, ClientAccess access)
    {
        var session = await access.FindVisibleSessionAsync(Caller.Require(principal), id);
        return session is null ? TypedResults.NotFound() : TypedResults.Ok(session);
    }

    private static async Task<Results<Ok<EventsPage>, NotFound, ValidationProblem>> EventsAsync(
        string id, long? afterSeq, int? limit, ClaimsPrincipal principal, ClientAccess access, ISessionEventStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        var after = afterSeq ?? 0;
        var take = limit ?? DefaultPageSize;
        var errors = new Dictionary<string, string[]>();
        if (after < 0)
        {
            errors["afterSeq"] = ["0 or more."];
        }

        if (take is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"From 1 to {MaxPageSize}."];
        }

        if (await access.FindVisibleSessionAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await audit.RecordAsync(caller, AuditActions.SessionHistoryRead, "session", id, cancellationToken);
        var events = await store.ReadAsync(id, after, take, cancellationToken);
        return TypedResults.Ok(new EventsPage(events, events.Count == 0 ? after : events[^1].Seq));
    }

    private static async Task<Results<ContentHttpResult, NotFound>> TranscriptAsync(
        string id, ClaimsPrincipal principal, ClientAccess access, IGrainFactory grains, ISessionEventStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (await access.FindVisibleSessionAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync(caller, AuditActions.SessionTranscriptRead, "session", id, cancellationToken);
        var record = (await grains.GetGrain<IConsultationSessionGrain>(id).GetRecord())!;
        var client = await grains.GetGrain<IClientGrain>(record.Session.ClientId).Get();
        var events = new List<SessionEventDto>();
        for (long after = 0; ;)
        {
            var page = await store.ReadAsync(id, after, MaxPageSize, cancellationToken);
            events.AddRange(page);
            if (page.Count < MaxPageSize)
            {
                break;
            }

            after = page[^1].Seq;
        }

        // The closing note is the clinic's record: staff only.
        var text = TranscriptWriter.Write(record, client, events, includeClosingNote: caller.IsClinician);
        return TypedResults.Text(text, "text/plain; charset=utf-8");
    }

    private static async Task<Results<Ok<SessionDto>, NotFound, ProblemHttpResult>> CancelAsync(
        string id, ClaimsPrincipal principal, ClientAccess access, IGrainFactory grains)
    {
        var caller = Caller.Require(principal);
        if (await access.FindVisibleSessionAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        try
        {
            return TypedResults.Ok(await grains.GetGrain<IConsultationSessionGrain>(id).Cancel(caller.ToSender()));
        }
        catch (ConsultationRuleException ex) when (ex.Kind == ConsultationRuleKind.Conflict)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot cancel", detail: ex.Message);
        }
    }
}

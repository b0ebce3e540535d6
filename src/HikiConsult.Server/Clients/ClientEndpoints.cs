using System.Security.Claims;
using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Counselors;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Devices;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.Clients;

public static class ClientEndpoints
{
    public static WebApplicationBuilder AddClients(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClientAccess>();
        return builder;
    }

    public static WebApplication MapClients(this WebApplication app)
    {
        var clients = app.MapGroup("/api/clients").WithTags("Clients").RequireAuthorization(AuthPolicies.Clinician);
        clients.MapGet("", ListAsync).WithSummary("The clients the caller may see (a supervisor: all; a counselor: assigned ones).");
        clients.MapPost("", CreateAsync).WithSummary("Creates a client; a counselor who creates one is assigned to it.");
        clients.MapGet("/{id}", GetAsync).WithSummary("One client record; 404 when it does not exist or is not visible.");
        clients.MapGet("/{id}/sessions", ListSessionsAsync).WithSummary("The client's sessions, newest first.");
        clients.MapPost("/{id}/pairing-codes", CreatePairingCodeAsync).WithSummary("A single-use pairing code for an avatar, robot or family device, valid 10 minutes.");
        clients.MapPost("/{id}/counselors", AssignCounselorAsync).WithSummary("Assigns a counselor (supervisors only).");
        clients.MapPost("/{id}/consents", RecordConsentAsync).WithSummary("Records a consent (scope), with when and by whom.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ClientDto>>> ListAsync(
        ClaimsPrincipal principal, IGrainFactory grains, IClientDirectory directory, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        var ids = caller.Role == Roles.Supervisor
            ? await directory.ListAsync(cancellationToken)
            : await grains.GetGrain<ICounselorGrain>(caller.Id).GetCaseload();
        var found = await Task.WhenAll(ids.Select(id => grains.GetGrain<IClientGrain>(id).Get()));
        IReadOnlyList<ClientDto> visible = [.. found.OfType<ClientDto>().Where(c => ClientAccess.MaySee(caller, c)).OrderBy(c => c.CreatedAt)];
        await audit.RecordAsync(caller, AuditActions.ClientList, "client", [.. visible.Select(c => c.Id)], cancellationToken);
        return TypedResults.Ok(visible);
    }

    private static async Task<Results<Created<ClientDto>, ValidationProblem>> CreateAsync(
        CreateClientRequest? request, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var caller = Caller.Require(principal);
        var (errors, alias, language, timeZone) = ClientValidation.Check(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = Grains.EntityIds.NewClientId();
        var client = await grains.GetGrain<IClientGrain>(id).Create(
            new NewClient(alias, language, timeZone, caller.Id, caller.Role == Roles.Counselor ? caller.Id : null));
        return TypedResults.Created($"/api/clients/{id}", client);
    }

    private static async Task<Results<Ok<ClientDto>, NotFound>> GetAsync(
        string id, ClaimsPrincipal principal, ClientAccess access, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        var client = await access.FindVisibleClientAsync(caller, id);
        if (client is null)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync(caller, AuditActions.ClientRead, "client", id, cancellationToken);
        return TypedResults.Ok(client);
    }

    private static async Task<Results<Ok<IReadOnlyList<SessionDto>>, NotFound>> ListSessionsAsync(
        string id, ClaimsPrincipal principal, ClientAccess access, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (await access.FindVisibleClientAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync(caller, AuditActions.ClientRead, "client", id, cancellationToken);
        var summaries = await grains.GetGrain<IClientGrain>(id).GetSessions();
        var sessions = await Task.WhenAll(summaries.Select(s => grains.GetGrain<IConsultationSessionGrain>(s.SessionId).Get()));
        return TypedResults.Ok<IReadOnlyList<SessionDto>>([.. sessions.OfType<SessionDto>().OrderByDescending(s => s.ScheduledAt ?? s.CreatedAt)]);
    }

    private static async Task<Results<Created<PairingCodeResponse>, NotFound, ValidationProblem>> CreatePairingCodeAsync(
        string id, CreatePairingCodeRequest? request, ClaimsPrincipal principal, ClientAccess access, PairingCodeStore codes, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (await access.FindVisibleClientAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        if (request?.Kind is null || !DeviceKinds.All.Contains(request.Kind))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["kind"] = [$"One of: {DeviceKinds.Avatar}, {DeviceKinds.Robot}, {DeviceKinds.Family}."],
            });
        }

        var (code, expiresAt) = await codes.CreateAsync(id, request.Kind, caller.Id, cancellationToken);
        return TypedResults.Created($"/api/clients/{id}", new PairingCodeResponse(code, expiresAt));
    }

    private static async Task<Results<Ok<ClientDto>, NotFound, ValidationProblem>> AssignCounselorAsync(
        string id, AssignCounselorRequest? request, ClaimsPrincipal principal, ClientAccess access, UserStore users, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (caller.Role != Roles.Supervisor || await access.FindVisibleClientAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        var user = request?.UserId is { } userId && Grains.EntityIds.IsUserId(userId) ? await users.FindByIdAsync(userId, cancellationToken) : null;
        if (user is null || user.DisabledAt is not null || user.Role is not (Roles.Counselor or Roles.Supervisor))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = ["The id of an active counselor or supervisor."] });
        }

        return TypedResults.Ok(await grains.GetGrain<IClientGrain>(id).AssignCounselor(user.Id));
    }

    private static async Task<Results<Ok<ClientDto>, NotFound, ValidationProblem>> RecordConsentAsync(
        string id, RecordConsentRequest? request, ClaimsPrincipal principal, ClientAccess access, IGrainFactory grains, TimeProvider time)
    {
        var caller = Caller.Require(principal);
        if (await access.FindVisibleClientAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        var scope = request?.Scope?.Trim();
        if (string.IsNullOrEmpty(scope) || scope.Length > ClientValidation.MaxConsentScopeLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["scope"] = [$"What was consented to, 1 to {ClientValidation.MaxConsentScopeLength} characters."],
            });
        }

        return TypedResults.Ok(await grains.GetGrain<IClientGrain>(id).RecordConsent(new ConsentRecord(scope, time.GetUtcNow(), caller.Id)));
    }
}

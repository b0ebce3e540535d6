using System.Security.Claims;
using HikiConsult.Contracts;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using HikiConsult.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.Erasure;

public static class ErasureEndpoints
{
    /// <summary>Erasure on request (<c>POST /api/clients/{id}/erasure</c>) and the retention policy.</summary>
    public static WebApplicationBuilder AddErasure(this WebApplicationBuilder builder)
    {
        if (builder.Services.FindPostgresStorage() is null)
        {
            builder.Services.AddSingleton<IClientErasureStore, SqliteClientErasureStore>();
        }
        else
        {
            builder.Services.AddSingleton<IClientErasureStore, PostgresClientErasureStore>();
        }

        builder.Services.AddSingleton<ClientEraser>();
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.SectionName));
        builder.Services.AddSingleton<RetentionService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        return builder;
    }

    public static WebApplication MapErasure(this WebApplication app)
    {
        app.MapPost("/api/clients/{id}/erasure", EraseAsync)
            .WithTags("Clients")
            .RequireAuthorization(AuthPolicies.Clinician)
            .WithSummary("Erases a client and everything kept of it (supervisors only); the audit keeps a tombstone.");
        return app;
    }

    private static async Task<Results<Ok<ErasureReceipt>, NotFound>> EraseAsync(
        string id, ClaimsPrincipal principal, ClientAccess access, ClientEraser eraser, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (caller.Role != Roles.Supervisor || await access.FindVisibleClientAsync(caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        // Not cancelled with the request: an erasure half done would leave rows behind.
        var receipt = await eraser.EraseAsync(id, caller.Id, caller.Role, CancellationToken.None);
        return receipt is null ? TypedResults.NotFound() : TypedResults.Ok(receipt);
    }
}

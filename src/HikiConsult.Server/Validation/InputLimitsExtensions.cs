using System.Text.Json.Serialization.Metadata;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.Http.Json;

namespace HikiConsult.Server.Validation;

public static class InputLimitsExtensions
{
    /// <summary>Kestrel's body bound for everything (hub long polling included); /api bodies have the smaller <see cref="InputLimits.MaxRequestBodyBytes"/>.</summary>
    public const long MaxAnyRequestBodyBytes = 1024 * 1024;

    /// <summary>Bounds on bodies, fields and query strings, and bad requests answered with the field at fault.</summary>
    public static WebApplicationBuilder AddInputLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxAnyRequestBodyBytes);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.MaxDepth = InputLimits.MaxJsonDepth;
            o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(RequestFieldRules.Apply);
        });

        // Binding failures reach InputLimitsMiddleware as exceptions, which knows the field (the default answer names none).
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseInputLimits(this WebApplication app)
    {
        app.UseMiddleware<InputLimitsMiddleware>();
        return app;
    }
}

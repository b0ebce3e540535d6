using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Hubs;

public static class HubExtensions
{
    public static WebApplicationBuilder AddHubs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HubLimitsOptions>().BindConfiguration(HubLimitsOptions.SectionName);
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<PrincipalRateLimits>();
        services.AddSingleton<SessionHubFilter>();
        services.AddSingleton<SessionSubscriptions>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionSubscriptions>());
        services.AddSignalR(o => o.EnableDetailedErrors = false)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new SessionEventJsonConverter()));
        // The JSON protocol with binding errors that name the argument (replaces the one AddJsonProtocol registered).
        var json = services.Single(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol));
        services.Remove(json);
        services.AddSingleton<IHubProtocol, NamedArgumentsHubProtocol>();
        services.AddSingleton<IHubActivator<CounselorHub>, HubActivator<CounselorHub>>();
        services.AddSingleton<IHubActivator<AvatarHub>, HubActivator<AvatarHub>>();
        services.AddOptions<HubOptions>()
            .Configure<IOptions<HubLimitsOptions>, SessionHubFilter>((o, limits, filter) =>
            {
                o.MaximumReceiveMessageSize = limits.Value.MaximumReceiveMessageSize;

                // The one instance, not AddFilter<T>: by type, SignalR resolves the filter and wraps it in a state
                // machine of its own on every call. It keeps no state.
                o.AddFilter(filter);
            });
        return builder;
    }

    public static WebApplication MapHubs(this WebApplication app)
    {
        UnsampledRequestActivity.DropOnHubRequests(app);
        app.MapHub<CounselorHub>(HubPaths.Counselor, o => o.AllowStatefulReconnects = true);
        app.MapHub<AvatarHub>(HubPaths.Avatar, o => o.AllowStatefulReconnects = true);
        return app;
    }
}

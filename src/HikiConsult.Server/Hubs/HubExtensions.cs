using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Hubs;

public static class HubExtensions
{
    public static WebApplicationBuilder AddHubs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HubSettings>().BindConfiguration(HubSettings.SectionName);
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<SessionHubFilter>();
        services.AddSingleton<SessionSubscriptions>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionSubscriptions>());
        services.AddSignalR(o =>
        {
            o.EnableDetailedErrors = false;
            o.AddFilter<SessionHubFilter>();
        }).AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new SessionEventJsonConverter()));
        services.AddOptions<HubOptions>()
            .Configure<IOptions<HubSettings>>((o, settings) => o.MaximumReceiveMessageSize = settings.Value.MaximumReceiveMessageSize);
        return builder;
    }

    public static WebApplication MapHubs(this WebApplication app)
    {
        app.MapHub<CounselorHub>(HubPaths.Counselor, o => o.AllowStatefulReconnects = true);
        app.MapHub<AvatarHub>(HubPaths.Avatar, o => o.AllowStatefulReconnects = true);
        return app;
    }
}

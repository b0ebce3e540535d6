using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Client.Tests.Sessions;

/// <summary>Runs <see cref="InMemorySessionHub"/> on Kestrel at a free loopback port, with real sockets.</summary>
public sealed class InMemorySessionHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InMemorySessionHost(WebApplication app, InMemorySessionStore store, Uri hubUrl)
    {
        _app = app;
        Store = store;
        HubUrl = hubUrl;
    }

    public InMemorySessionStore Store { get; }

    public Uri HubUrl { get; }

    public static async Task<InMemorySessionHost> StartAsync()
    {
        var store = new InMemorySessionStore();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(store);
        builder.Services.AddSignalR();

        var app = builder.Build();
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            if (store.Unavailable)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            if (store.RevokedTokens.ContainsKey(context.Request.Query["access_token"].ToString()))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next();
        });
        app.MapHub<InMemorySessionHub>("/hubs/session");
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InMemorySessionHost(app, store, new Uri(new Uri(address), "/hubs/session"));
    }

    public Uri HubUrlFor(string who) => new(HubUrl + "?as=" + Uri.EscapeDataString(who));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

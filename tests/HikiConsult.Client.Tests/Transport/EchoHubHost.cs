using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Client.Tests.Transport;

/// <summary>Hosts <see cref="EchoHub"/> either in memory (TestServer) or on Kestrel at a free loopback port.</summary>
public sealed class EchoHubHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoHubHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri HubUrl => new(BaseAddress, "/hubs/echo");

    public TestServer TestServer => (TestServer)_app.Services.GetRequiredService<IServer>();

    public static async Task<EchoHubHost> StartAsync(bool inMemory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        if (inMemory)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<EchoHub>("/hubs/echo", o => o.AllowStatefulReconnects = true);
        await app.StartAsync();

        var address = inMemory
            ? new Uri("http://localhost/")
            : new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new EchoHubHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

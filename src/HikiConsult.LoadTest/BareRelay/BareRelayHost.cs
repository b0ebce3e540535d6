using HikiConsult.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HikiConsult.LoadTest.BareRelay;

/// <summary>Hosts <see cref="BareRelayHub"/> in this process on Kestrel at a loopback port, at both hub paths.</summary>
public sealed class BareRelayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareRelayHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<BareRelayHost> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton<BareRelayState>();
        builder.Services.AddSignalR();

        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<BareRelayHub>(HubPaths.Counselor);
        app.MapHub<BareRelayHub>(HubPaths.Avatar);
        await app.StartAsync();
        return new BareRelayHost(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Globalization;
using HikiConsult.Contracts;
using HikiConsult.ServerLauncher;
using HikiConsult.LoadTest.Load;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HikiConsult.LoadTest.BareRelay;

/// <summary>
/// Hosts <see cref="BareRelayHub"/> in this process on Kestrel at a loopback port, at both hub paths, with the two
/// endpoints the load tool reads from a target process: <c>/health</c> and <c>/api/runtime</c> (this process's
/// collections, as the server answers it to an admin).
/// </summary>
public sealed class BareRelayHost : IAsyncDisposable
{
    /// <summary>The first argument of the child process's command line: host the bare relay on the given port.</summary>
    public const string ServeArgument = "--serve-bare-relay";

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
        app.MapGet("/health", () => "Healthy");
        app.MapGet("/api/runtime", RuntimeReading.OfThisProcess);
        await app.StartAsync();
        return new BareRelayHost(app, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>
    /// Starts this tool's assembly again as a child process that hosts only the bare relay
    /// (<see cref="ServeArgument"/>), and waits until it answers.
    /// </summary>
    public static Task<ChildProcess> StartProcessAsync(int port, CancellationToken cancellationToken) =>
        ChildProcess.StartAsync(
            typeof(BareRelayHost).Assembly.Location,
            new Uri($"http://127.0.0.1:{port}"),
            [ServeArgument, port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>(),
            "/health",
            TimeSpan.FromSeconds(60),
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

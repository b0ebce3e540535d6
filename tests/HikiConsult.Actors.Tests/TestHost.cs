using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.TestKit;
using HikiConsult.Actors.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Actors.Tests;

/// <summary>Starts a test host with every grain of this assembly and the shared test services.</summary>
internal static class TestHost
{
    public static Task<TestGrainHost> StartAsync(Action<IGrainHostBuilder>? configure = null, Action<IServiceCollection>? services = null) =>
        TestGrainHost.StartAsync(
            grains =>
            {
                grains.AddGrainsFromAssemblyOf<GrainEvents>();
                configure?.Invoke(grains);
            },
            s =>
            {
                s.AddSingleton<GrainEvents>();
                s.AddSingleton<TestGates>();
                s.AddSingleton<ConcurrencyProbe>();
                services?.Invoke(s);
            });

    public static GrainEvents Events(this TestGrainHost host) => host.Services.GetRequiredService<GrainEvents>();

    public static TestGates Gates(this TestGrainHost host) => host.Services.GetRequiredService<TestGates>();

    public static ConcurrencyProbe Overlap(this TestGrainHost host) => host.Services.GetRequiredService<ConcurrencyProbe>();

    /// <summary>A generous bound for awaiting something that must happen; never a performance assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
}

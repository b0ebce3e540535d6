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

    /// <summary>
    /// Asserts that the call completes (within <see cref="Patience"/>) and fails with <typeparamref name="TException"/>.
    /// Unlike awaiting <c>task.WaitAsync(Patience)</c>, a call that never completes cannot pass for a TimeoutException.
    /// </summary>
    public static async Task<TException> FailsWith<TException>(Task call) where TException : Exception
    {
        var first = await Task.WhenAny(call, Task.Delay(Patience));
        Assert.True(ReferenceEquals(first, call), "The call did not complete.");
        return await Assert.ThrowsAsync<TException>(() => call);
    }
}

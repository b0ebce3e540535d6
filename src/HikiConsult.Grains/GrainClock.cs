using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace HikiConsult.Grains;

public static class GrainClock
{
    /// <summary>
    /// Grain timers follow the host's <see cref="TimeProvider"/> (a test's manual clock); Orleans' own loops
    /// (membership, messaging timeouts, activation collection) keep real time, so moving a test clock never fires them.
    /// </summary>
    public static IServiceCollection UseHostClockForGrainTimersOnly(this IServiceCollection services)
    {
        services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, TimeProvider.System);
        services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, static (provider, _) => provider.GetRequiredService<TimeProvider>());
        return services;
    }
}

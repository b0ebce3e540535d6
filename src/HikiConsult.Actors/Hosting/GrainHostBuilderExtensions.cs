using System.Reflection;
using HikiConsult.Actors.Configuration;
using HikiConsult.Actors.Internal;
using HikiConsult.Actors.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HikiConsult.Actors.Hosting;

/// <summary>Registers the grain host with a host or a service collection.</summary>
public static class GrainHostBuilderExtensions
{
    /// <summary>Adds the grain host to a web or generic application builder.</summary>
    public static TBuilder AddGrainHost<TBuilder>(this TBuilder builder, Action<IGrainHostBuilder> configure) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddGrainHost(configure);
        return builder;
    }

    /// <summary>Adds the grain host to a generic host builder.</summary>
    public static IHostBuilder AddGrainHost(this IHostBuilder builder, Action<IGrainHostBuilder> configure) =>
        builder.ConfigureServices(services => services.AddGrainHost(configure));

    /// <summary>Adds the grain host's services; the hosted service runs its lifecycle with the host.</summary>
    public static IServiceCollection AddGrainHost(this IServiceCollection services, Action<IGrainHostBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        if (!services.Any(d => d.ServiceType == typeof(GrainRuntime)))
        {
            services.AddOptions();
            services.AddLogging();
            services.AddMetrics();
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<GrainHostMetrics>();
            services.AddSingleton<GrainTypeManager>();
            services.AddSingleton<GrainRuntime>();
            services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
            services.AddSingleton<GrainHostLifecycle>();
            services.AddSingleton<IGrainHostLifecycle>(sp => sp.GetRequiredService<GrainHostLifecycle>());
            services.AddHostedService(sp => sp.GetRequiredService<GrainHostLifecycle>());
        }

        configure(new GrainHostBuilder(services));
        return services;
    }

    /// <summary>Registers every grain class in the assembly that holds <typeparamref name="T"/>.</summary>
    public static IGrainHostBuilder AddGrainsFromAssemblyOf<T>(this IGrainHostBuilder builder) => builder.AddGrains(typeof(T).Assembly);

    public static IGrainHostBuilder AddGrains(this IGrainHostBuilder builder, Assembly assembly)
    {
        builder.Services.Configure<GrainTypeOptions>(o =>
        {
            if (!o.Assemblies.Contains(assembly))
            {
                o.Assemblies.Add(assembly);
            }
        });
        return builder;
    }

    /// <summary>Registers one grain class (tests use this for grains that live in the test assembly).</summary>
    public static IGrainHostBuilder AddGrain<TGrain>(this IGrainHostBuilder builder) where TGrain : Grain
    {
        builder.Services.Configure<GrainTypeOptions>(o => o.Classes.Add(typeof(TGrain)));
        return builder;
    }

    public static IGrainHostBuilder Configure<TOptions>(this IGrainHostBuilder builder, Action<TOptions> configure) where TOptions : class
    {
        builder.Services.Configure(configure);
        return builder;
    }

    public static IGrainHostBuilder AddIncomingGrainCallFilter<TFilter>(this IGrainHostBuilder builder) where TFilter : class, IIncomingGrainCallFilter
    {
        builder.Services.AddSingleton<IIncomingGrainCallFilter, TFilter>();
        return builder;
    }

    public static IGrainHostBuilder AddIncomingGrainCallFilter(this IGrainHostBuilder builder, Func<IIncomingGrainCallContext, Task> filter)
    {
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(new DelegateCallFilter(filter));
        return builder;
    }

    /// <summary>In-memory storage (tests, demos). State is copied through JSON, as a real store would.</summary>
    public static IGrainHostBuilder AddMemoryGrainStorage(this IGrainHostBuilder builder, string name = PersistentState.DefaultStorageName)
    {
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new MemoryGrainStorage());
        return builder;
    }

    /// <summary>SQLite storage: one table keyed by grain type, key and state name (see <see cref="SqliteGrainStorageOptions"/>).</summary>
    public static IGrainHostBuilder AddSqliteGrainStorage(this IGrainHostBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        builder.Services.Configure(name, configure);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) =>
            new SqliteGrainStorage(name, sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name), sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        builder.Services.AddSingleton<ILifecycleParticipant<IGrainHostLifecycle>>(sp => (SqliteGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(name));
        return builder;
    }

    private sealed class DelegateCallFilter(Func<IIncomingGrainCallContext, Task> filter) : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context) => filter(context);
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Actors.Hosting;

/// <summary>Configures the grain host: grain classes, storage providers, call filters, options.</summary>
public interface IGrainHostBuilder
{
    IServiceCollection Services { get; }
}

internal sealed record GrainHostBuilder(IServiceCollection Services) : IGrainHostBuilder;

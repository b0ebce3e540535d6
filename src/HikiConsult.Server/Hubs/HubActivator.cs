using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// Creates a hub for each invocation from the application's services. SignalR's own activator is scoped, so every
/// invocation would resolve it into a scope of its own; the hubs depend on singletons only, so one activator serves
/// the application. A scoped service added to a hub's constructor fails at its first call where scopes are validated
/// (Development, the tests) instead of being shared.
/// </summary>
public sealed class HubActivator<THub>(IServiceProvider services) : IHubActivator<THub>
    where THub : Hub
{
    private static readonly ObjectFactory<THub> Construct = ActivatorUtilities.CreateFactory<THub>([]);

    public THub Create() => Construct(services, null);

    public void Release(THub hub) => hub.Dispose();
}

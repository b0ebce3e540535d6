using System.Diagnostics;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// SignalR runs all of a connection's hub calls in the execution context of the request that opened it, and each
/// call clears <see cref="Activity.Current"/> and puts it back afterwards: two copies of the execution context per
/// relayed message. ASP.NET Core makes an activity for every request while one of its hosting log levels is on, even
/// when no tracing listener asked for one; such an activity has no source and serves no trace, so a hub request
/// leaves it behind before SignalR takes the connection. An activity that a listener sampled is kept, and SignalR
/// links each hub call's activity to it as before.
/// </summary>
internal static class UnsampledRequestActivity
{
    public static void DropOnHubRequests(WebApplication app) =>
        app.Use(async (context, next) =>
        {
            // Only inside this method: an async lambda's change to the execution context ends with it.
            if (Activity.Current is { Source.Name: "" } && IsHubRequest(context.Request.Path))
            {
                Activity.Current = null;
            }

            await next(context);
        });

    private static bool IsHubRequest(PathString path) =>
        path.StartsWithSegments(HubPaths.Counselor) || path.StartsWithSegments(HubPaths.Avatar);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>
/// A hub connection runs its calls in the execution context of the request that opened it. The activity that
/// ASP.NET Core makes for that request only because logging is on is left behind (each hub call would clear it and
/// put it back); one that a tracing listener asked for stays.
/// </summary>
public sealed class HubActivityTests
{
    [Fact]
    public async Task A_connection_keeps_the_request_activity_only_when_a_listener_asked_for_it()
    {
        var probe = new ConnectionActivityProbe();
        await using var app = new TestServerApp(services: s => s.Configure<HubOptions>(o => o.AddFilter(probe))).Start();
        var counselor = await app.CreateStaffAsync(Roles.Counselor);

        await using (await app.ConnectAsync(HubPaths.Counselor, counselor.Token))
        {
        }

        Assert.Equal([null], probe.Seen);

        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using (await app.ConnectAsync(HubPaths.Counselor, counselor.Token))
        {
        }

        Assert.Equal([null, "Microsoft.AspNetCore"], probe.Seen);
    }

    /// <summary>Records, for each connection, the source of the activity its hub calls start from (null: none).</summary>
    private sealed class ConnectionActivityProbe : IHubFilter
    {
        public ConcurrentQueue<string?> Seen { get; } = new();

        public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            Seen.Enqueue(Activity.Current?.Source.Name);
            return next(context);
        }
    }
}

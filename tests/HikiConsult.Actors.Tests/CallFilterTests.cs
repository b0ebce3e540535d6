using System.Collections.Concurrent;
using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class CallFilterTests
{
    [Fact]
    public async Task A_filter_sees_the_grain_the_method_the_arguments_and_the_result()
    {
        var seen = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(g => g.AddIncomingGrainCallFilter(async context =>
        {
            seen.Enqueue($"{context.Grain.GetType().Name} {context.TargetId} {context.InterfaceMethod.DeclaringType!.Name}.{context.MethodName}({string.Join(",", context.Arguments)})");
            await context.Invoke();
            seen.Enqueue($"result {context.Result ?? "null"}");
        }));
        var echo = host.GetGrain<IEchoGrain>("e");

        Assert.Equal("abab", await echo.Echo("ab", 2));
        Assert.Equal(5, await echo.Add(2, 3));
        await echo.Nothing();

        Assert.Equal(
            [
                "EchoGrain echo/e IEchoGrain.Echo(ab,2)", "result abab",
                "EchoGrain echo/e IEchoGrain.Add(2,3)", "result 5",
                "EchoGrain echo/e IEchoGrain.Nothing()", "result null",
            ],
            seen);
    }

    [Fact]
    public async Task A_filter_can_short_circuit_or_replace_the_result()
    {
        await using var host = await TestHost.StartAsync(g => g.AddIncomingGrainCallFilter(async context =>
        {
            if (context.MethodName == nameof(IEchoGrain.Add))
            {
                context.Result = -1;
                return;
            }

            await context.Invoke();
            if (context.Result is string text)
            {
                context.Result = text.ToUpperInvariant();
            }
        }));
        var echo = host.GetGrain<IEchoGrain>("e");

        Assert.Equal(-1, await echo.Add(2, 3));
        Assert.Equal("ABAB", await echo.Echo("ab", 2));
        Assert.Equal(0, host.Events().Count("add"));
        Assert.Equal(1, host.Events().Count("echo"));
    }

    [Fact]
    public async Task A_filter_that_throws_fails_the_call_before_the_grain_runs()
    {
        await using var host = await TestHost.StartAsync(g => g.AddIncomingGrainCallFilter(context =>
            context.Arguments.FirstOrDefault() is "forbidden"
                ? throw new UnauthorizedAccessException("not allowed")
                : context.Invoke()));
        var echo = host.GetGrain<IEchoGrain>("e");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => echo.Echo("forbidden", 1));

        Assert.Equal("ok", await echo.Echo("ok", 1));
        Assert.Equal(1, host.Events().Count("echo"));
    }

    [Fact]
    public async Task Host_filters_run_in_registration_order_and_a_grain_filter_runs_last()
    {
        var order = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(g => g
            .AddIncomingGrainCallFilter(async c => { order.Enqueue("first"); await c.Invoke(); })
            .AddIncomingGrainCallFilter(async c => { order.Enqueue("second"); await c.Invoke(); }));

        Assert.Equal("hello x", await host.GetGrain<IAuditedGrain>("a").Hello("x"));

        Assert.Equal(["first", "second"], order);
        Assert.Equal(["grain-filter:before:Hello", "grain-filter:after:hello x"], host.Events().All);
    }
}

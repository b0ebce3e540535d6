using HikiConsult.Actors.Configuration;
using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.TestKit;
using HikiConsult.Actors.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Actors.Tests;

/// <summary><see cref="MessagingOptions.InlineTurns"/>: a call to an idle activation starts on the caller's thread.</summary>
public sealed class InlineTurnTests
{
    private static Task<TestGrainHost> StartAsync(bool inline) => TestHost.StartAsync(
        g => g.Configure<MessagingOptions>(o => o.InlineTurns = inline),
        s => s.AddSingleton<CallerProbe>());

    /// <summary>
    /// Activation is always queued, so the chain is activated first; then everything settles, because the caller's
    /// continuation runs inside the grain's dispatch and a call made from there finds the grain's dispatch busy.
    /// </summary>
    private static async Task ActivateAsync(TestGrainHost host, IInlineChainGrain top, int depth)
    {
        await top.Descend(1, depth);
        await host.WaitForQuiescenceAsync();
    }

    [Fact]
    public async Task A_call_to_an_idle_grain_starts_its_turn_on_the_callers_thread_in_the_grains_own_context()
    {
        await using var host = await StartAsync(inline: true);
        var grain = host.GetGrain<IInlineChainGrain>("a");
        await ActivateAsync(host, grain, 0);

        var probe = host.Services.GetRequiredService<CallerProbe>();
        CallerProbe.CallerValue.Value = "the caller's";
        var callersContext = new SynchronizationContext();
        SynchronizationContext.SetSynchronizationContext(callersContext);
        Task<IReadOnlyList<TurnSite>> call;
        try
        {
            call = probe.Call(() => grain.Descend(1, 0));
            Assert.Same(callersContext, SynchronizationContext.Current);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        var site = Assert.Single(await call.WaitAsync(TestHost.Patience));
        Assert.True(site.OnCallersThreadDuringCall);
        Assert.True(site.HasActivationContext);
        Assert.Null(site.CallersAsyncLocal);
    }

    [Fact]
    public async Task Inline_turns_nest_at_most_four_deep_on_one_thread()
    {
        await using var host = await StartAsync(inline: true);
        var probe = host.Services.GetRequiredService<CallerProbe>();
        var top = host.GetGrain<IInlineChainGrain>("chain");
        await ActivateAsync(host, top, 6);

        var sites = await probe.Call(() => top.Descend(1, 6)).WaitAsync(TestHost.Patience);

        Assert.Equal([true, true, true, true, false, false, false], sites.Select(s => s.OnCallersThreadDuringCall));
        Assert.All(sites, s => Assert.True(s.HasActivationContext));
    }

    [Fact]
    public async Task With_inline_turns_off_every_turn_runs_on_the_pool()
    {
        await using var host = await StartAsync(inline: false);
        var probe = host.Services.GetRequiredService<CallerProbe>();
        var top = host.GetGrain<IInlineChainGrain>("off");
        await ActivateAsync(host, top, 2);

        var sites = await probe.Call(() => top.Descend(1, 2)).WaitAsync(TestHost.Patience);

        Assert.Equal([false, false, false], sites.Select(s => s.OnCallersThreadDuringCall));
    }

    [Fact]
    public async Task A_grain_that_throws_in_an_inline_turn_faults_the_callers_task_and_stays_usable()
    {
        await using var host = await StartAsync(inline: true);
        var grain = host.GetGrain<IInlineChainGrain>("thrower");
        await ActivateAsync(host, grain, 0);

        var call = grain.FailAtOnce(); // must not throw here, on the caller's stack

        var error = await TestHost.FailsWith<InvalidOperationException>(call);
        Assert.Equal("failed before any await", error.Message);
        Assert.Single(await grain.Descend(1, 0).WaitAsync(TestHost.Patience));
    }
}

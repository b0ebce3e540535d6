using System.Globalization;
using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Internal;
using HikiConsult.Actors.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Actors.TestKit;

/// <summary>
/// A real grain host for tests: the production runtime and turn scheduler (so interleaving bugs show), a
/// <see cref="ManualTimeProvider"/> for timers, timeouts and idle collection, <see cref="TestGrainStorage"/> as the
/// "Default" storage, captured logs, probes that stand in for collaborator grains, and waits for quiescence.
/// </summary>
/// <example>
/// <code>
/// await using var host = await TestGrainHost.StartAsync(g => g.AddGrain&lt;CounterGrain&gt;());
/// var counter = host.GrainFactory.GetGrain&lt;ICounterGrain&gt;("a");
/// await counter.Increment();
/// Assert.Equal(1, host.GetState&lt;CounterState&gt;(counter, "counter")!.Value);
/// </code>
/// </example>
public sealed class TestGrainHost : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly IHost _host;
    private readonly GrainRuntime _runtime;
    private bool _stopped;

    private TestGrainHost(IHost host, ManualTimeProvider time, TestGrainStorage storage, TestLogSink logs)
    {
        _host = host;
        Time = time;
        Storage = storage;
        Logs = logs;
        _runtime = host.Services.GetRequiredService<GrainRuntime>();
        _runtime.TrackExecution = true;
    }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => _runtime;

    /// <summary>The host's clock: nothing times out, ticks or gets collected until it is advanced.</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>The "Default" grain storage, unless the configuration registered another one under that name.</summary>
    public TestGrainStorage Storage { get; }

    public TestLogSink Logs { get; }

    /// <summary>Live activations (probes included).</summary>
    public int ActivationCount => _runtime.ActivationCount;

    /// <summary>
    /// Builds and starts a host. <paramref name="configure"/> registers grains (AddGrain, AddGrainsFromAssemblyOf),
    /// filters, options and other storage; <paramref name="configureServices"/> adds services grains depend on.
    /// </summary>
    public static async Task<TestGrainHost> StartAsync(Action<IGrainHostBuilder>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var time = new ManualTimeProvider();
        var storage = new TestGrainStorage();
        var logs = new TestLogSink();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(storage);
        builder.Services.AddKeyedSingleton<IGrainStorage>(PersistentState.DefaultStorageName, storage);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = DefaultWait);
        builder.AddGrainHost(grains => configure?.Invoke(grains));
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestGrainHost(host, time, storage, logs);
    }

    public T GetGrain<T>(string key) where T : IGrainWithStringKey => _runtime.GetGrain<T>(key);

    public T GetGrain<T>(Guid key) where T : IGrainWithGuidKey => _runtime.GetGrain<T>(key);

    public T GetGrain<T>(long key) where T : IGrainWithIntegerKey => _runtime.GetGrain<T>(key);

    // ---- Probes --------------------------------------------------------------------------------------

    /// <summary>
    /// Routes calls for the grain <typeparamref name="T"/>/<paramref name="key"/> to <paramref name="fake"/>, one at a
    /// time through a mailbox of its own, as a grain would receive them. No grain class need implement
    /// <typeparamref name="T"/>. Add probes before the first call to that grain.
    /// </summary>
    public T AddProbe<T>(string key, T fake) where T : class, IGrainWithStringKey
    {
        _runtime.AddProbe(typeof(T), key, fake);
        return _runtime.GetGrain<T>(key);
    }

    public T AddProbe<T>(Guid key, T fake) where T : class, IGrainWithGuidKey
    {
        _runtime.AddProbe(typeof(T), key.ToString("N"), fake);
        return _runtime.GetGrain<T>(key);
    }

    public T AddProbe<T>(long key, T fake) where T : class, IGrainWithIntegerKey
    {
        _runtime.AddProbe(typeof(T), key.ToString(CultureInfo.InvariantCulture), fake);
        return _runtime.GetGrain<T>(key);
    }

    // ---- State ---------------------------------------------------------------------------------------

    /// <summary>Stores a state record for a grain (before its activation, or to make its next write conflict).</summary>
    public string SetState<TState>(IAddressable grain, string stateName, TState state) => Storage.SetState(grain.GetGrainId(), stateName, state);

    /// <summary>The grain's stored state record (a copy), or default when none is stored.</summary>
    public TState? GetState<TState>(IAddressable grain, string stateName) => Storage.GetState<TState>(grain.GetGrainId(), stateName);

    // ---- Activations ---------------------------------------------------------------------------------

    /// <summary>Whether the grain has a live activation (activating, active or deactivating).</summary>
    public bool IsActive(IAddressable grain) => _runtime.TryGetActivation(grain.GetGrainId(), out _);

    /// <summary>The grain object of the grain's current activation, for white-box assertions; null when not active.</summary>
    public TGrain? GetActivation<TGrain>(IAddressable grain) where TGrain : class =>
        _runtime.TryGetActivation(grain.GetGrainId(), out var activation) ? activation.GrainInstance as TGrain : null;

    /// <summary>Deactivates the grain's activation (as if idle) and waits until it is gone.</summary>
    public async Task DeactivateAsync(IAddressable grain)
    {
        if (_runtime.TryGetActivation(grain.GetGrainId(), out var activation))
        {
            activation.Deactivate(new DeactivationReason(DeactivationReasonCode.RuntimeRequested, "Deactivated by the test."));
            await activation.WhenDeactivated().WaitAsync(DefaultWait);
        }
    }

    // ---- Time and quiescence -------------------------------------------------------------------------

    /// <summary>
    /// Moves the clock forward one due timer at a time, letting the grains settle after each one (a periodic grain
    /// timer re-arms after its tick completes, so ticks happen as they would in real time).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan delta)
    {
        var target = Time.GetUtcNow() + delta;
        while (true)
        {
            var now = Time.GetUtcNow();
            var next = Time.NextDueTime;
            if (next is null || next.Value > target)
            {
                Time.AdvanceTo(target);
                await WaitUntilSettledAsync();
                return;
            }

            Time.AdvanceTo(next.Value > now ? next.Value : now);
            if (next.Value <= now)
            {
                Time.Advance(TimeSpan.Zero);
            }

            await WaitUntilSettledAsync();
        }
    }

    /// <summary>
    /// Waits until no grain has work queued, running or waiting (no request in any mailbox, no activation or
    /// deactivation under way). Fails after <paramref name="timeout"/> (default 20 s) if that never happens, e.g.
    /// because a grain awaits a timer that only <see cref="Time"/> can fire.
    /// </summary>
    public Task WaitForQuiescenceAsync(TimeSpan? timeout = null) =>
        WaitAsync(_runtime.IsQuiescent, "quiescent (no queued, running or waiting grain work)", timeout);

    /// <summary>Waits until nothing runs or is queued to run; unfinished requests may still wait on storage or timers.</summary>
    public Task WaitUntilSettledAsync(TimeSpan? timeout = null) =>
        WaitAsync(_runtime.IsSettled, "settled (no turn running or queued)", timeout);

    private static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            // Twice in a row, a moment apart: a condition seen once may be a gap between two steps.
            if (condition())
            {
                await Task.Yield();
                if (condition())
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The grain host did not become {what} within {timeout ?? DefaultWait}.");
            }

            await Task.Delay(1);
        }
    }

    // ---- Shutdown ------------------------------------------------------------------------------------

    /// <summary>Stops the host as on SIGTERM: every activation is deactivated (OnDeactivateAsync, pending writes).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}

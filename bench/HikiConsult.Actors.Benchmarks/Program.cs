using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HikiConsult.Actors;
using HikiConsult.Actors.Benchmarks;
using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Console harness: repeated rounds, medians, every figure next to a baseline measured in the same run.
// Usage: dotnet run -c Release --project bench/HikiConsult.Actors.Benchmarks [-- --rounds 5] [--only calls|activation|memory]
var rounds = ArgValue("--rounds", 5);
var only = ArgText("--only");
var report = new List<string>();
Console.WriteLine($"# Grain host benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {rounds} rounds (median), load average {LoadAverage()}");

if (only == "profile")
{
    // A long host-only run with 1,000 callers, for a profiler (perf, dotnet-trace).
    using var host = await StartHostAsync();
    var factory = host.Services.GetRequiredService<IGrainFactory>();
    var grains = Enumerable.Range(0, 1000).Select(i => factory.GetGrain<IBenchGrain>(i)).ToArray();
    await MedianAsync("host 1000 callers", () => RunCallersAsync(1000, 5_000, c => grains[c]));
}

// Memory first: garbage left by the other sections could still be reachable when "before" is measured.
if (only is null or "memory")
{
    await MemoryAsync();
}

if (only is null or "calls")
{
    await CallsAsync();
}

if (only is null or "activation")
{
    await ActivationAsync();
}

Console.WriteLine();
foreach (var line in report)
{
    Console.WriteLine(line);
}

async Task CallsAsync()
{
    using var host = await StartHostAsync();
    var factory = host.Services.GetRequiredService<IGrainFactory>();
    report.Add("| Awaited calls | Callers | Grain host | Direct call | Channel hop | Host ÷ channel | Host ÷ direct |");
    report.Add("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var (callers, perCaller) in new[] { (1, 1_000_000), (1000, 2_000) })
    {
        var grains = Enumerable.Range(0, callers).Select(i => factory.GetGrain<IBenchGrain>(i)).ToArray();
        var direct = Enumerable.Range(0, callers).Select(_ => new DirectTarget()).ToArray();
        var hops = Enumerable.Range(0, callers).Select(_ => new ChannelHop()).ToArray();
        var hostRate = await MedianAsync($"host {callers} callers", () => RunCallersAsync(callers, perCaller, c => grains[c]));
        var directRate = await MedianAsync($"direct {callers} callers", () => RunCallersAsync(callers, perCaller, c => direct[c]));
        var channelRate = await MedianAsync($"channel {callers} callers", () => RunCallersAsync(callers, perCaller, c => new HopAdapter(hops[c])));
        foreach (var hop in hops)
        {
            hop.Complete();
        }

        report.Add($"| calls/s, {callers:N0} caller(s) | {callers:N0} | {Rate(hostRate.Rate)} | {Rate(directRate.Rate)} | {Rate(channelRate.Rate)} | {hostRate.Rate / channelRate.Rate:0.00} | {hostRate.Rate / directRate.Rate:0.000} |");
        report.Add($"| CPU ns per call, {callers:N0} caller(s) | {callers:N0} | {hostRate.CpuNs:0} | {directRate.CpuNs:0} | {channelRate.CpuNs:0} | {channelRate.CpuNs / hostRate.CpuNs:0.00} | {directRate.CpuNs / hostRate.CpuNs:0.000} |");
    }

    report.Add("");
}

async Task ActivationAsync()
{
    using var host = await StartHostAsync();
    var factory = host.Services.GetRequiredService<IGrainFactory>();
    var next = 1_000_000L;
    report.Add("| First activation (first call on a new grain id) | Grain host | Baseline: dictionary insert + new object + call | Ratio |");
    report.Add("|---|---:|---:|---:|");
    foreach (var (callers, perCaller) in new[] { (1, 20_000), (1000, 50) })
    {
        var hostRate = await MedianAsync($"activation {callers} callers", () =>
        {
            var start = Interlocked.Add(ref next, callers * perCaller) - (callers * perCaller);
            return RunCallersAsync(callers, perCaller, c => new FreshGrains(factory, start + ((long)c * perCaller)), everyCallNew: true);
        });
        var directory = new ConcurrentDictionary<long, DirectTarget>();
        var baseRate = await MedianAsync($"baseline activation {callers} callers", () =>
        {
            var start = Interlocked.Add(ref next, callers * perCaller) - (callers * perCaller);
            return RunCallersAsync(callers, perCaller, c => new FreshObjects(directory, start + ((long)c * perCaller)), everyCallNew: true);
        });
        report.Add($"| {callers:N0} caller(s): wall µs per activation (activations/s); CPU µs each | {1e6 / hostRate.Rate:0.00} µs ({Rate(hostRate.Rate)}); {hostRate.CpuNs / 1000:0.00} µs | {1e6 / baseRate.Rate:0.000} µs ({Rate(baseRate.Rate)}); {baseRate.CpuNs / 1000:0.000} µs | {baseRate.Rate / hostRate.Rate:0}× |");
    }

    report.Add("");
}

async Task MemoryAsync()
{
    const int Activations = 1_000_000;
    using var host = await StartHostAsync();
    var factory = host.Services.GetRequiredService<IGrainFactory>();
    var runtime = host.Services.GetRequiredService<GrainRuntime>();
    await factory.GetGrain<IBenchGrain>(-1).Work(0);
    var before = SettledMemory();
    var stopwatch = Stopwatch.StartNew();
    await RunCallersAsync(1000, Activations / 1000, c => new FreshGrains(factory, (long)c * (Activations / 1000)), everyCallNew: true);
    while (!runtime.IsQuiescent())
    {
        await Task.Delay(10);
    }

    stopwatch.Stop();
    var after = SettledMemory();
    var perActivation = (after - before) / (double)Activations;

    var shape = ObjectSize(() => new GrainShape());
    var directory = new ConcurrentDictionary<long, DirectTarget>();
    var beforeBaseline = SettledMemory();
    for (var i = 0L; i < Activations; i++)
    {
        directory.GetOrAdd(i, static _ => new DirectTarget());
    }

    var afterBaseline = SettledMemory();
    var baseline = (afterBaseline - beforeBaseline) / (double)Activations;
    GC.KeepAlive(directory);

    Console.WriteLine($"  memory: {runtime.ActivationCount:N0} activations in {stopwatch.Elapsed.TotalSeconds:0.0} s");
    report.Add("| Idle activations (1,000,000) | Bytes each |");
    report.Add("|---|---:|");
    report.Add($"| Grain host, managed heap per activation (GC.GetTotalMemory after full collection) | {perActivation:0} |");
    report.Add($"| The grain object itself (header, base class reference, one int) | {shape:0} |");
    report.Add($"| **Grain host overhead beyond the grain object** | **{perActivation - shape:0}** |");
    report.Add($"| Baseline: the same objects in a ConcurrentDictionary<long, T> | {baseline:0} |");
    report.Add("");
}

static async Task<IHost> StartHostAsync()
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Logging.ClearProviders();
    builder.AddGrainHost(grains => grains.AddGrain<BenchGrain>());
    var host = builder.Build();
    await host.StartAsync();
    return host;
}

static async Task<(double Rate, long Operations)> RunCallersAsync(int callers, int callsPerCaller, Func<int, IBenchGrain> target, bool everyCallNew = false)
{
    var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var tasks = new Task[callers];
    for (var c = 0; c < callers; c++)
    {
        var grain = target(c);
        tasks[c] = Task.Run(async () =>
        {
            await go.Task;
            for (var i = 0; i < callsPerCaller; i++)
            {
                await grain.Work(i);
            }
        });
    }

    // Let every caller reach the start line before the clock starts.
    await Task.Delay(50);
    var stopwatch = Stopwatch.StartNew();
    go.SetResult();
    await Task.WhenAll(tasks);
    stopwatch.Stop();
    _ = everyCallNew;
    return (callers * (double)callsPerCaller / stopwatch.Elapsed.TotalSeconds, (long)callers * callsPerCaller);
}

async Task<Measure> MedianAsync(string name, Func<Task<(double Rate, long Operations)>> round)
{
    await round(); // warm-up (JIT, tiering, thread pool growth)
    var rates = new List<double>();
    var cpu = new List<double>();
    var process = Process.GetCurrentProcess();
    for (var i = 0; i < rounds; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var (rate, operations) = await round();
        process.Refresh();
        rates.Add(rate);
        cpu.Add((process.TotalProcessorTime - cpuBefore).TotalNanoseconds / operations);
    }

    rates.Sort();
    cpu.Sort();
    var median = new Measure(rates[rates.Count / 2], cpu[cpu.Count / 2]);
    Console.WriteLine($"  {name}: median {Rate(median.Rate)}/s, {median.CpuNs:0} ns CPU/op [{string.Join(", ", rates.Select(Rate))}]");
    return median;
}

static long SettledMemory()
{
    for (var i = 0; i < 3; i++)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    return GC.GetTotalMemory(forceFullCollection: true);
}

static double ObjectSize(Func<object> create)
{
    const int Count = 10_000;
    var keep = new object[Count];
    var start = GC.GetAllocatedBytesForCurrentThread();
    for (var i = 0; i < Count; i++)
    {
        keep[i] = create();
    }

    var size = (GC.GetAllocatedBytesForCurrentThread() - start) / (double)Count;
    GC.KeepAlive(keep);
    return size;
}

static string LoadAverage()
{
    // Other processes share this machine's cores: the load average says how much wall-clock figures are worth.
    try
    {
        return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static string Rate(double perSecond) => perSecond >= 1e6
    ? (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M"
    : (perSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k";

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Presents a channel hop as the benchmark interface.</summary>
internal sealed class HopAdapter(ChannelHop hop) : IBenchGrain
{
    public Task<int> Work(int value) => hop.Work(value);
}

/// <summary>Each call goes to a new grain id (first-activation cost).</summary>
internal sealed class FreshGrains(IGrainFactory factory, long firstKey) : IBenchGrain
{
    private long _next = firstKey;

    public Task<int> Work(int value) => factory.GetGrain<IBenchGrain>(_next++).Work(value);
}

/// <summary>Baseline for a first activation: a new object registered in a concurrent dictionary, then called.</summary>
internal sealed class FreshObjects(ConcurrentDictionary<long, DirectTarget> directory, long firstKey) : IBenchGrain
{
    private long _next = firstKey;

    public Task<int> Work(int value) => directory.GetOrAdd(_next++, static _ => new DirectTarget()).Work(value);
}

internal readonly record struct Measure(double Rate, double CpuNs);

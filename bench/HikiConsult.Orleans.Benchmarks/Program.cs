using System.Diagnostics;
using HikiConsult.Orleans.Benchmarks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

// Grain calls on Orleans 10.4.2 against a channel hop, interleaved round by round in one process, and the managed heap
// an idle activation costs. Usage: dotnet run -c Release --project bench/HikiConsult.Orleans.Benchmarks -- [--rounds 5]
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(5);
const int SequentialCalls = 200_000;
const int Callers = 1_000;
const int CallsPerCaller = 200;
const int IdleActivations = 20_000;

using var host = Host.CreateDefaultBuilder()
    .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
    .UseOrleans(silo => silo.UseLocalhostClustering(siloPort: 21111, gatewayPort: 31000))
    .Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

// Memory first, in a fresh heap: idle activations of a grain with one int field.
var before = Heap();
for (var i = 0; i < IdleActivations; i++)
{
    await grains.GetGrain<ICounterGrain>(1_000_000 + i).Work(0);
}

var perActivation = (Heap() - before) / (double)IdleActivations;
Console.WriteLine($"idle activation: {perActivation:F0} bytes of managed heap ({IdleActivations:N0} activations)");

var results = new Dictionary<string, List<double>>();
await MeasureAsync("warm-up", warmUp: true);
for (var round = 1; round <= rounds; round++)
{
    await MeasureAsync($"round {round}", warmUp: false);
}

Console.WriteLine();
Console.WriteLine("| figure | Orleans grain call | channel hop | ratio (median, range) |");
Console.WriteLine("| --- | --- | --- | --- |");
foreach (var figure in new[] { "1 caller, ns/call (wall)", "1 caller, CPU ns/call", "1,000 callers, calls/s", "1,000 callers, CPU ns/call" })
{
    var grain = results[$"grain {figure}"];
    var channel = results[$"channel {figure}"];
    var ratios = grain.Zip(channel, (g, c) => g / c).Order().ToList();
    Console.WriteLine($"| {figure} | {Median(grain):N0} | {Median(channel):N0} | {Median(ratios):F2}× ({ratios[0]:F2}–{ratios[^1]:F2}) |");
}

await host.StopAsync();

async Task MeasureAsync(string label, bool warmUp)
{
    // Grain and channel alternate within each round, so drift on the machine hits both alike.
    var sequentialGrain = await TimeAsync(async () =>
    {
        var grain = grains.GetGrain<ICounterGrain>(0);
        for (var i = 0; i < SequentialCalls; i++)
        {
            await grain.Work(1);
        }
    }, SequentialCalls);
    var hop = new ChannelHop();
    var sequentialChannel = await TimeAsync(async () =>
    {
        for (var i = 0; i < SequentialCalls; i++)
        {
            await hop.Work(1);
        }
    }, SequentialCalls);
    hop.Complete();

    var manyGrain = await TimeAsync(() => Task.WhenAll(Enumerable.Range(0, Callers).Select(async c =>
    {
        var grain = grains.GetGrain<ICounterGrain>(10 + c);
        for (var i = 0; i < CallsPerCaller; i++)
        {
            await grain.Work(1);
        }
    })), Callers * CallsPerCaller);
    var hops = Enumerable.Range(0, Callers).Select(_ => new ChannelHop()).ToArray();
    var manyChannel = await TimeAsync(() => Task.WhenAll(hops.Select(async h =>
    {
        for (var i = 0; i < CallsPerCaller; i++)
        {
            await h.Work(1);
        }
    })), Callers * CallsPerCaller);
    foreach (var h in hops)
    {
        h.Complete();
    }

    Console.WriteLine($"{label}: 1 caller {sequentialGrain.WallNs:F0} / {sequentialChannel.WallNs:F0} ns per call (grain / channel), " +
        $"1,000 callers {manyGrain.PerSecond:N0} / {manyChannel.PerSecond:N0} calls/s, CPU {manyGrain.CpuNs:F0} / {manyChannel.CpuNs:F0} ns per call");
    if (warmUp)
    {
        return;
    }

    Add("grain 1 caller, ns/call (wall)", sequentialGrain.WallNs);
    Add("channel 1 caller, ns/call (wall)", sequentialChannel.WallNs);
    Add("grain 1 caller, CPU ns/call", sequentialGrain.CpuNs);
    Add("channel 1 caller, CPU ns/call", sequentialChannel.CpuNs);
    Add("grain 1,000 callers, calls/s", manyGrain.PerSecond);
    Add("channel 1,000 callers, calls/s", manyChannel.PerSecond);
    Add("grain 1,000 callers, CPU ns/call", manyGrain.CpuNs);
    Add("channel 1,000 callers, CPU ns/call", manyChannel.CpuNs);
}

void Add(string key, double value) => (results.TryGetValue(key, out var list) ? list : results[key] = []).Add(value);

static async Task<(double WallNs, double CpuNs, double PerSecond)> TimeAsync(Func<Task> run, int calls)
{
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await run();
    clock.Stop();
    process.Refresh();
    var cpuNs = (process.TotalProcessorTime - cpu).TotalMilliseconds * 1e6 / calls;
    return (clock.Elapsed.TotalMilliseconds * 1e6 / calls, cpuNs, calls / clock.Elapsed.TotalSeconds);
}

static long Heap()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static double Median(IReadOnlyList<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

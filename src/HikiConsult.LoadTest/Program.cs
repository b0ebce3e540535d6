using System.Diagnostics;
using HikiConsult.LoadTest;
using HikiConsult.LoadTest.BareRelay;
using HikiConsult.LoadTest.Hosting;
using HikiConsult.LoadTest.Load;

LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadTestOptions.Usage);
    return 64;
}

// A hard bound on the whole run, whatever happens.
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(20));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var log = Console.Out;
var loadAtStart = LoadAverage();
var results = new List<PhaseResult>();
var dataDirectory = Directory.CreateTempSubdirectory("hikiconsult-load-").FullName;
ServerProcess? server = null;
BareRelayHost? bare = null;
LoadRunner? serverRunner = null;
LoadRunner? bareRunner = null;
// A phase ends when everything acknowledged has arrived, or when nothing has moved for this long.
var drain = TimeSpan.FromSeconds(15);

try
{
    await log.WriteLineAsync($"HikiConsult load test: {options.Sessions} sessions ({2 * options.Sessions} connections), {options.Rate:0} msg/s, warmup {options.Warmup.TotalSeconds:0} s, measured {options.Duration.TotalSeconds:0} s, {Environment.ProcessorCount} cores");

    if (options.Server)
    {
        await log.WriteLineAsync($"Starting the server on a temporary data directory ({dataDirectory})…");
        server = await ServerProcess.StartAsync(
            dataDirectory,
            assemblyPath: options.ServerDll,
            settings: new Dictionary<string, string>
            {
                // Provisioning pairs a device per session and signs in every counselor from one address; the per-address
                // limits on pairing and sign-in would refuse that.
                ["Auth:PairingPermitLimit"] = "1000000",
                ["Auth:LoginPermitLimit"] = "1000000",
            },
            cancellationToken: stop.Token);
        var clock = Stopwatch.StartNew();
        var sessions = await Provisioner.ProvisionAsync(server.BaseAddress, options.Sessions, options.SessionsPerCounselor, 8, log, stop.Token);
        await log.WriteLineAsync($"Provisioned {sessions.Count} clients, devices and sessions in {clock.Elapsed.TotalSeconds:0.0} s.");
        clock.Restart();
        var serverProcess = server;
        serverRunner = await LoadRunner.ConnectAsync(
            new LoadTarget("server", server.BaseAddress, sessions), options.ConnectParallelism, log, stop.Token, () => serverProcess.TotalProcessorTime);
        await log.WriteLineAsync($"Server: {serverRunner.Connections} connections joined in {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    if (options.Bare)
    {
        bare = await BareRelayHost.StartAsync(LoopbackPorts.GetFree());
        var sessions = Enumerable.Range(1, options.Sessions).Select(i => new SessionPair($"bare-{i:0000}", null, null)).ToList();
        bareRunner = await LoadRunner.ConnectAsync(new LoadTarget("bare relay", bare.BaseAddress, sessions), options.ConnectParallelism, log, stop.Token);
        await log.WriteLineAsync($"Bare relay: {bareRunner.Connections} connections joined.");
    }

    // What the targets cost with every connection open and no messages: background work shows up here.
    var pushesBefore = serverRunner?.OtherPushes ?? new Dictionary<string, long>();
    var idle = await MeasureIdleAsync(server, TimeSpan.FromSeconds(5), stop.Token);
    if (serverRunner is not null)
    {
        var pushes = serverRunner.OtherPushes.Select(p => (p.Key, Count: p.Value - pushesBefore.GetValueOrDefault(p.Key))).Where(p => p.Count > 0).ToList();
        idle += " Other pushes from the server meanwhile: " + (pushes.Count == 0 ? "none." : string.Join(", ", pushes.Select(p => $"{p.Count} × {p.Key}")) + ".");
    }

    await log.WriteLineAsync(idle);

    async Task<PhaseResult?> Phase(LoadRunner? runner, Func<LoadRunner, Task<PhaseResult>> run)
    {
        if (runner is null)
        {
            return null;
        }

        var result = await run(runner);
        results.Add(result);
        await log.WriteLineAsync(Report.Table([result]).Split('\n')[2].TrimEnd());
        return result;
    }

    await log.WriteLineAsync("Open-loop phase…");
    var bareRate = await Phase(bareRunner, r => r.RunOpenLoopAsync(options.Rate, options.Warmup, options.Duration, drain, stop.Token));
    var serverRate = await Phase(serverRunner, r => r.RunOpenLoopAsync(options.Rate, options.Warmup, options.Duration, drain, stop.Token));

    PhaseResult? bareCeiling = null, serverCeiling = null;
    if (options.Ceiling)
    {
        await log.WriteLineAsync("Closed-loop phase (ceiling)…");
        var ceilingWarmup = TimeSpan.FromSeconds(3);
        bareCeiling = await Phase(bareRunner, r => r.RunClosedLoopAsync(ceilingWarmup, options.CeilingDuration, drain, 60_000, stop.Token));
        serverCeiling = await Phase(serverRunner, r => r.RunClosedLoopAsync(ceilingWarmup, options.CeilingDuration, drain, 60_000, stop.Token));
    }

    var markdown =
        $"### Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {options.Sessions} sessions ({options.SessionsPerCounselor} per counselor), {options.Rate:0} msg/s, {options.Duration.TotalSeconds:0} s measured after {options.Warmup.TotalSeconds:0} s warmup, {Environment.ProcessorCount} cores\n\n" +
        $"Machine load average (1, 5, 15 min) at start: {loadAtStart}; at end: {LoadAverage()}. Latencies in ms.\n\n" +
        idle + "\n\n" +
        Report.Table(results) + "\n" +
        (serverRunner is null ? "" : "Other pushes received by the server's clients during the whole run: " + string.Join(", ", serverRunner.OtherPushes.Select(p => $"{p.Value} × {p.Key}")) + ".\n\n") +
        Report.CpuTable(results) + "\n" +
        Report.Verdict(serverRate, bareRate, serverCeiling, bareCeiling, options.Rate, options.Sessions) +
        (Report.Errors(results) is { Length: > 0 } errors ? "\nErrors:\n" + errors : "");

    await log.WriteLineAsync();
    await log.WriteLineAsync(markdown);
    if (server is not null && results.Any(r => r.Target == "server" && (r.Lost > 0 || r.ConnectionsLost > 0)))
    {
        await log.WriteLineAsync("Last lines of the server's log:");
        await log.WriteLineAsync(string.Join(Environment.NewLine, server.RecentOutput.Split(Environment.NewLine).TakeLast(40)));
    }
    if (options.MarkdownFile is not null)
    {
        await File.WriteAllTextAsync(options.MarkdownFile, markdown);
    }

    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await log.WriteLineAsync("Stopped.");
    return 1;
}
finally
{
    if (serverRunner is not null)
    {
        await serverRunner.DisposeAsync();
    }

    if (bareRunner is not null)
    {
        await bareRunner.DisposeAsync();
    }

    if (bare is not null)
    {
        await bare.DisposeAsync();
    }

    if (server is not null)
    {
        await server.DisposeAsync();
    }

    try
    {
        Directory.Delete(dataDirectory, recursive: true);
    }
    catch (IOException)
    {
        // Leave it for the OS temp cleanup.
    }
}

// Other work on the machine skews the figures; the report says how busy it was.
static string LoadAverage()
{
    try
    {
        return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static async Task<string> MeasureIdleAsync(ServerProcess? server, TimeSpan period, CancellationToken cancellationToken)
{
    using var self = Process.GetCurrentProcess();
    var toolStart = self.TotalProcessorTime;
    var serverStart = server?.TotalProcessorTime ?? TimeSpan.Zero;
    await Task.Delay(period, cancellationToken);
    self.Refresh();
    var tool = (self.TotalProcessorTime - toolStart) / period;
    var serverCores = server is null ? "n/a" : ((server.TotalProcessorTime - serverStart) / period).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    return FormattableString.Invariant($"Idle for {period.TotalSeconds:0} s with all connections open: server process {serverCores} cores, load tool (clients and bare relay) {tool:0.00} cores.");
}

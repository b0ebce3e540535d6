using System.Diagnostics;
using HikiConsult.Client.Api;
using HikiConsult.LoadTest;
using HikiConsult.LoadTest.BareRelay;
using HikiConsult.ServerLauncher;
using HikiConsult.LoadTest.Load;
using HikiConsult.Server.Hosting;

// The shared array pool size the server sets for itself, for this process too: it holds the other end of every
// connection, and the bare relay runs in it. Read once, when the pool is first used.
SharedArrayPoolOptions.Apply();

// Started again by itself as the bare relay's process: serve until the load tool kills it or ends (its input closes).
if (args is [BareRelayHost.ServeArgument, var servePort])
{
    await using var host = await BareRelayHost.StartAsync(int.Parse(servePort, System.Globalization.CultureInfo.InvariantCulture));
    await Console.Out.WriteLineAsync($"Bare relay listening on {host.BaseAddress}");
    await Console.In.ReadToEndAsync();
    return 0;
}

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

if (options.RiskShare > 0 && RiskPhrases.FirstUnflagged() is { } unflagged)
{
    Console.Error.WriteLine($"The risk phrase '{unflagged.Text}' ({unflagged.Language}) is not flagged by the shipped risk lexicons; update RiskPhrases.");
    return 70;
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
var notes = new List<string>();

// A phase ends when everything acknowledged has arrived, or when nothing has moved for this long.
var drain = TimeSpan.FromSeconds(15);

try
{
    await log.WriteLineAsync($"HikiConsult load test: {options.Sessions} sessions ({2 * options.Sessions} connections), {options.Rate:0} msg/s, warmup {options.Warmup.TotalSeconds:0} s, measured {options.Duration.TotalSeconds:0} s, {Environment.ProcessorCount} cores");

    // One target at a time, so neither runs while the other's connections or background work use the cores.
    if (options.Bare)
    {
        CollectLeftovers();
        var sessions = Enumerable.Range(1, options.Sessions).Select(i => new SessionPair($"bare-{i:0000}", null, null)).ToList();
        if (options.BareRelayInProcess)
        {
            await using var bare = await BareRelayHost.StartAsync(LoopbackPorts.GetFree());
            await using var runner = await LoadRunner.ConnectAsync(new LoadTarget("bare relay", bare.BaseAddress, sessions), options.ConnectParallelism, log, stop.Token);
            await log.WriteLineAsync($"Bare relay (in this process): {runner.Connections} connections joined.");
            await RunPhasesAsync(runner);
        }
        else
        {
            await using var bare = await BareRelayHost.StartProcessAsync(LoopbackPorts.GetFree(), stop.Token);
            using var runtimeHttp = new HttpClient { BaseAddress = bare.BaseAddress };
            await using var runner = await ConnectToProcessAsync(new LoadTarget("bare relay", bare.BaseAddress, sessions), bare, runtimeHttp);
            await log.WriteLineAsync($"Bare relay (process {bare.ProcessId}): {runner.Connections} connections joined.");
            await RunPhasesAsync(runner);
        }
    }

    if (options.Server)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hikiconsult-load-").FullName;
        try
        {
            await log.WriteLineAsync($"Starting the server on a temporary data directory ({dataDirectory})…");
            await using var serverLog = options.ServerLogFile is { } serverLogFile ? new StreamWriter(serverLogFile) { AutoFlush = true } : null;
            await using var server = await ServerProcess.StartAsync(
                dataDirectory,
                assemblyPath: options.ServerDll,
                settings: new Dictionary<string, string>
                {
                    // Provisioning pairs a device per session and signs in every counselor from one address; the
                    // per-address limits on pairing and sign-in would refuse that.
                    ["Auth:PairingPermitLimit"] = "1000000",
                    ["Auth:LoginPermitLimit"] = "1000000",

                    // One counselor account drives several sessions at the measured rate; a sign-in lasts the run.
                    ["Hubs:SendPerSecond"] = "1000000",
                    ["Hubs:SendBurst"] = "1000000",
                    ["Hubs:JoinPerSecond"] = "1000000",
                    ["Hubs:JoinBurst"] = "1000000",
                    ["Hubs:MaxConnectionsPerPrincipal"] = "1000000",
                    ["Auth:StaffTokenLifetime"] = "12:00:00",

                    // The server runs in Development for its demo accounts; the admin dashboard stays off as in
                    // Production unless asked for, since it profiles every grain call.
                    ["Dashboard:Enabled"] = options.Dashboard ? "true" : "false",
                },
                environmentVariables: options.ServerEnvironment,
                cancellationToken: stop.Token,
                // Standard output and error arrive on two reader threads; the writer is disposed after the server.
                onLine: serverLog is null ? null : line =>
                {
                    lock (serverLog)
                    {
                        serverLog.WriteLine(line);
                    }
                });
            var clock = Stopwatch.StartNew();
            var sessions = await Provisioner.ProvisionAsync(server.BaseAddress, options.Sessions, options.SessionsPerCounselor, 8, log, stop.Token);
            await log.WriteLineAsync($"Provisioned {sessions.Count} clients, devices and sessions in {clock.Elapsed.TotalSeconds:0.0} s.");
            clock.Restart();
            CollectLeftovers();
            // The server's garbage collection around each phase, read as its admin would.
            using var runtimeHttp = new HttpClient { BaseAddress = server.BaseAddress };
            var admin = new HikiConsultApi(runtimeHttp);
            await admin.LoginAsync(Provisioner.Admin, Provisioner.DemoPassword, stop.Token);
            runtimeHttp.DefaultRequestHeaders.Authorization = new("Bearer", admin.AccessToken);
            await using var runner = await ConnectToProcessAsync(new LoadTarget("server", server.BaseAddress, sessions, DetectsRisk: true), server.Process, runtimeHttp);
            await log.WriteLineAsync($"Server: {runner.Connections} connections joined in {clock.Elapsed.TotalSeconds:0.0} s.");
            await RunPhasesAsync(runner);
            NoteOtherPushes(runner);

            if (results.Any(r => r.Target == "server" && (r.Lost > 0 || r.ConnectionsLost > 0)))
            {
                await log.WriteLineAsync("Last lines of the server's log:");
                await log.WriteLineAsync(string.Join(Environment.NewLine, server.RecentOutput.Split(Environment.NewLine).TakeLast(40)));
            }
        }
        finally
        {
            TryDelete(dataDirectory);
        }
    }

    if (options.TargetUrl is { } targetUrl)
    {
        await RunAgainstRunningTargetAsync(targetUrl);
    }

    // The issue's targets are checked on the server the tool started, or on the running target it was pointed at.
    var measured = options.TargetUrl is null ? "server" : options.TargetName;
    PhaseResult? Find(string target, string kind) => results.FirstOrDefault(r => r.Target == target && r.Phase.StartsWith(kind, StringComparison.Ordinal));

    var markdown =
        $"### Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {options.Sessions} sessions ({options.SessionsPerCounselor} per counselor), {options.Rate:0} msg/s, {options.Duration.TotalSeconds:0} s measured after {options.Warmup.TotalSeconds:0} s warmup, {Environment.ProcessorCount} cores" +
        (options.Bare ? (options.BareRelayInProcess ? ", bare relay in the load tool's process" : ", bare relay in a process of its own") : "") +
        (options.TargetUrl is { } runningTarget ? $", {options.TargetName} at {runningTarget} (already running)" : "") + "\n\n" +
        $"Machine load average (1, 5, 15 min) at start: {loadAtStart}; at end: {LoadAverage()}. Latencies in ms.\n\n" +
        Report.Table(results) + "\n" +
        string.Concat(notes.Select(n => "- " + n + "\n")) + "\n" +
        Report.CpuTable(results) + "\n" +
        (Report.RuntimeTable(results) is { Length: > 0 } runtimeTable ? runtimeTable + "\n" : "") +
        Report.AlertTable(results, options.RiskShare) + "\n" +
        Report.Verdict(Find(measured, "open"), Find("bare relay", "open"), Find(measured, "closed"), Find("bare relay", "closed"), options.Rate, options.Sessions) +
        Report.AlertVerdict(results, options.RiskShare) +
        (Report.Errors(results) is { Length: > 0 } errors ? "\nErrors:\n" + errors : "");

    await log.WriteLineAsync();
    await log.WriteLineAsync(markdown);
    if (options.MarkdownFile is not null)
    {
        await File.WriteAllTextAsync(options.MarkdownFile, markdown);
    }

    if (options.TimelineFile is not null)
    {
        await File.WriteAllLinesAsync(options.TimelineFile, Report.TimelineCsv(results));
    }

    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await log.WriteLineAsync("Stopped.");
    return 1;
}

// A target in a process of its own: its CPU time read from outside, its collections from its GET /api/runtime.
Task<LoadRunner> ConnectToProcessAsync(LoadTarget target, ChildProcess process, HttpClient runtimeHttp) =>
    LoadRunner.ConnectAsync(
        target,
        options.ConnectParallelism,
        log,
        stop.Token,
        () => process.TotalProcessorTime,
        ct => RuntimeReading.ReadAsync(runtimeHttp, ct));

// A server or cluster that was already running: provisioned like the tool's own server; its CPU is that of the
// processes it was given (summed, children included), and a database server's in a column of its own.
async Task RunAgainstRunningTargetAsync(Uri targetUrl)
{
    var targetCpu = options.TargetPids.Count > 0 ? new ProcessTreeCpu(options.TargetPids) : null;
    var databaseCpu = options.DatabasePid is { } databasePid ? new ProcessTreeCpu([databasePid]) : null;
    var watched = (targetCpu is null ? "no target CPU (no --target-pids)" : $"target CPU summed over processes {string.Join(", ", targetCpu.Roots)} and their children")
        + (databaseCpu is null ? "" : $"; database CPU of process {databaseCpu.Roots[0]} and every process under it")
        + (options.TargetNodes.Count == 0 ? "" : $"; collections summed over {string.Join(", ", options.TargetNodes)}");
    notes.Add($"{options.TargetName} at {targetUrl}: {watched}.");
    await log.WriteLineAsync($"Loading {options.TargetName} at {targetUrl}: {watched}.");

    var clock = Stopwatch.StartNew();
    var sessions = await Provisioner.ProvisionAsync(targetUrl, options.Sessions, options.SessionsPerCounselor, 8, log, stop.Token);
    await log.WriteLineAsync($"Provisioned {sessions.Count} clients, devices and sessions in {clock.Elapsed.TotalSeconds:0.0} s.");
    clock.Restart();
    CollectLeftovers();

    // Each node's collections, read on its own address as its admin would (one signing key: a token is good on all).
    var nodes = options.TargetNodes.Select(node => new HttpClient { BaseAddress = node }).ToList();
    try
    {
        Func<CancellationToken, Task<RuntimeReading>>? runtime = null;
        if (nodes.Count > 0)
        {
            using var signIn = new HttpClient { BaseAddress = targetUrl };
            var admin = new HikiConsultApi(signIn);
            await admin.LoginAsync(Provisioner.Admin, Provisioner.DemoPassword, stop.Token);
            nodes.ForEach(node => node.DefaultRequestHeaders.Authorization = new("Bearer", admin.AccessToken));
            runtime = async ct => (await Task.WhenAll(nodes.Select(node => RuntimeReading.ReadAsync(node, ct)))).Aggregate((sum, next) => sum.Plus(next));
        }

        await using var runner = await LoadRunner.ConnectAsync(
            new LoadTarget(options.TargetName, targetUrl, sessions, DetectsRisk: true),
            options.ConnectParallelism,
            log,
            stop.Token,
            targetCpu is null ? null : targetCpu.Read,
            runtime,
            databaseCpu is null ? null : databaseCpu.Read);
        await log.WriteLineAsync($"{options.TargetName}: {runner.Connections} connections joined in {clock.Elapsed.TotalSeconds:0.0} s.");
        await RunPhasesAsync(runner);
        NoteOtherPushes(runner);
    }
    finally
    {
        nodes.ForEach(node => node.Dispose());
    }
}

void NoteOtherPushes(LoadRunner runner) =>
    notes.Add($"Other pushes received by the {runner.Name}'s clients during its phases: "
        + (runner.OtherPushes.Count == 0 ? "none." : string.Join(", ", runner.OtherPushes.Select(p => $"{p.Value} × {p.Key}")) + "."));

async Task RunPhasesAsync(LoadRunner runner)
{
    if (runner.TargetCpu is { } targetCpu)
    {
        // Joins set off background work in the target (the server's presence and triage); measure the steady state after it.
        var settled = await SettleAsync(runner.Name, targetCpu, TimeSpan.FromMinutes(2), stop.Token);
        notes.Add(settled);
        await log.WriteLineAsync(settled);
    }

    // What the target costs with every connection open and no messages: background work shows up here.
    var pushesBefore = runner.OtherPushes;
    var idle = await MeasureIdleAsync(runner, TimeSpan.FromSeconds(5), stop.Token);
    var pushes = runner.OtherPushes.Select(p => (p.Key, Count: p.Value - pushesBefore.GetValueOrDefault(p.Key))).Where(p => p.Count > 0).ToList();
    if (pushes.Count > 0)
    {
        idle += " Other pushes meanwhile: " + string.Join(", ", pushes.Select(p => $"{p.Count} × {p.Key}")) + ".";
    }

    notes.Add(idle);
    await log.WriteLineAsync(idle);

    await Phase(() => runner.RunOpenLoopAsync(options.Rate, options.Warmup, options.Duration, drain, options.RiskShare, stop.Token));
    if (options.Ceiling)
    {
        await Phase(() => runner.RunClosedLoopAsync(TimeSpan.FromSeconds(3), options.CeilingDuration, drain, 60_000, stop.Token));
    }
}

async Task Phase(Func<Task<PhaseResult>> run)
{
    var result = await run();
    results.Add(result);
    await log.WriteLineAsync(Report.Table([result]).Split('\n')[2].TrimEnd());
    if (result.Alerts is not null)
    {
        await log.WriteLineAsync("  risk alerts: " + Report.AlertRow(result));
    }
}

static async Task<string> MeasureIdleAsync(LoadRunner runner, TimeSpan period, CancellationToken cancellationToken)
{
    var meter = CpuMeter.Start(runner.TargetCpu, runner.DatabaseCpu);
    await Task.Delay(period, cancellationToken);
    var cost = meter.Read();
    double Cores(double ms) => ms / period.TotalMilliseconds;
    var targetPart = runner.TargetCpu is null ? "" : FormattableString.Invariant($"{runner.Name} process {Cores(cost.TargetMs):0.00} cores, ");
    var databasePart = runner.DatabaseCpu is null ? "" : FormattableString.Invariant($"database {Cores(cost.DatabaseMs):0.00} cores, ");
    return FormattableString.Invariant($"{runner.Name}, idle for {period.TotalSeconds:0} s with all connections open: {targetPart}{databasePart}load tool {Cores(cost.ToolMs):0.00} cores.");
}

static async Task<string> SettleAsync(string target, Func<TimeSpan> targetCpu, TimeSpan limit, CancellationToken cancellationToken)
{
    var clock = Stopwatch.StartNew();
    var window = TimeSpan.FromSeconds(2);
    double cores;
    do
    {
        var before = targetCpu();
        await Task.Delay(window, cancellationToken);
        cores = (targetCpu() - before) / window;
    }
    while (cores > 0.2 && clock.Elapsed < limit);

    return FormattableString.Invariant($"{target}, after the joins: busy for {clock.Elapsed.TotalSeconds - window.TotalSeconds:0} s before its CPU use fell to {cores:0.00} cores (limit {limit.TotalSeconds:0} s).");
}

// Targets run one after the other in this process: the garbage one leaves (its 2,000 connections, its provisioning)
// is collected before the next connects, not during the next one's measured phases.
static void CollectLeftovers()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
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

static void TryDelete(string directory)
{
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
        // Left for the OS's temp cleanup.
    }
}

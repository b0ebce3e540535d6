using System.Globalization;

namespace HikiConsult.LoadTest;

public sealed record LoadTestOptions
{
    public const string Usage =
        "HikiConsult.LoadTest [--sessions 1000] [--rate 2000] [--warmup 5] [--duration 20] [--ceiling-duration 10] " +
        "[--targets both|server|bare] [--bare-relay process|in-process] [--no-ceiling] [--dashboard] [--server-dll path] [--server-env NAME=VALUE …] [--server-log file] [--connect-parallelism 32] [--sessions-per-counselor 5] [--risk-share 0.01] [--markdown file] [--timeline file.csv] " +
        "| --target-url http://127.0.0.1:5180 [--target-name cluster] [--target-pids 123,456] [--database-pid 789] [--target-nodes http://127.0.0.1:5181,…] (a running server or cluster instead of the tool's own targets)";

    public int Sessions { get; init; } = 1000;

    /// <summary>Messages per second in total across all sessions (open-loop phase).</summary>
    public double Rate { get; init; } = 2000;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(10);

    public bool Ceiling { get; init; } = true;

    public bool Server { get; init; } = true;

    public bool Bare { get; init; } = true;

    /// <summary>
    /// Where the bare relay hub runs. By default in a process of its own (this tool's assembly started again in its
    /// serving mode), as the server does, so that the two targets differ only in what is behind the hub; in-process
    /// puts it next to the load clients, sharing their runtime, thread pool and collections.
    /// </summary>
    public bool BareRelayInProcess { get; init; }

    /// <summary>Runs the server with the Orleans Dashboard on (off by default, as in Production), to measure its cost.</summary>
    public bool Dashboard { get; init; }

    public string? ServerDll { get; init; }

    /// <summary>
    /// Environment variables for the server process only (the tool's own process keeps its settings), e.g.
    /// <c>DOTNET_GCgen0size=0x1000000</c> to measure a runtime setting.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A file that receives every line the server process writes (its own log, e.g. with a category raised to Debug
    /// through <see cref="ServerEnvironment"/>); by default only the last lines are kept, to explain a failed start.
    /// </summary>
    public string? ServerLogFile { get; init; }

    /// <summary>
    /// A server or cluster already running (e.g. HAProxy in front of <c>cluster/local.sh</c>'s nodes) to load instead of
    /// the tool's own targets. It is provisioned like the tool's own server, so it needs the demo admin account and
    /// limits raised as the tool raises them for its own server (see docs/performance.md).
    /// </summary>
    public Uri? TargetUrl { get; init; }

    /// <summary>The running target's name in the report.</summary>
    public string TargetName { get; init; } = "running target";

    /// <summary>
    /// The running target's processes (e.g. every node of a cluster): their CPU time, with their children's, is summed
    /// as the target process's. Without them the report has no target CPU.
    /// </summary>
    public IReadOnlyList<int> TargetPids { get; init; } = [];

    /// <summary>
    /// A database server's process (PostgreSQL's postmaster): its CPU time with that of every backend and worker under
    /// it is reported in a column of its own and counted in the total, since a cluster's storage runs there.
    /// </summary>
    public int? DatabasePid { get; init; }

    /// <summary>The running target's nodes, each at its own address: their <c>GET /api/runtime</c> counters are summed.</summary>
    public IReadOnlyList<Uri> TargetNodes { get; init; } = [];

    public int ConnectParallelism { get; init; } = 32;

    /// <summary>A counselor's caseload in the run: sessions per counselor account.</summary>
    public int SessionsPerCounselor { get; init; } = 5;

    /// <summary>
    /// Share of the client devices' messages in the server's open loop that carry a risk phrase, to measure how soon
    /// the counselor hears of it (0 turns it off). The bare relay has no risk detection; the closed loop none either.
    /// </summary>
    public double RiskShare { get; init; } = 0.01;

    public string? MarkdownFile { get; init; }

    /// <summary>CSV of every phase's relay latency by send time, in <see cref="Load.PhaseTracker.BucketSeconds"/> slices.</summary>
    public string? TimelineFile { get; init; }

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadTestOptions();
        var targetsGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture));
            targetsGiven |= args[i] == "--targets";

            options = args[i] switch
            {
                "--sessions" => options with { Sessions = Int() },
                "--rate" => options with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = Seconds() },
                "--duration" => options with { Duration = Seconds() },
                "--ceiling-duration" => options with { CeilingDuration = Seconds() },
                "--no-ceiling" => options with { Ceiling = false },
                "--dashboard" => options with { Dashboard = true },
                "--targets" => Next() switch
                {
                    "both" => options with { Server = true, Bare = true },
                    "server" => options with { Server = true, Bare = false },
                    "bare" => options with { Server = false, Bare = true },
                    var other => throw new ArgumentException($"Unknown target '{other}'."),
                },
                "--bare-relay" => Next() switch
                {
                    "process" => options with { BareRelayInProcess = false },
                    "in-process" => options with { BareRelayInProcess = true },
                    var other => throw new ArgumentException($"--bare-relay must be process or in-process, not '{other}'."),
                },
                "--server-dll" => options with { ServerDll = Path.GetFullPath(Next()) },
                "--server-env" => options with { ServerEnvironment = WithVariable(options.ServerEnvironment, Next()) },
                "--server-log" => options with { ServerLogFile = Next() },
                "--connect-parallelism" => options with { ConnectParallelism = Int() },
                "--sessions-per-counselor" => options with { SessionsPerCounselor = Int() },
                "--risk-share" => options with { RiskShare = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--markdown" => options with { MarkdownFile = Next() },
                "--timeline" => options with { TimelineFile = Next() },
                "--target-url" => options with { TargetUrl = AbsoluteUrl(Next()), Server = false, Bare = false },
                "--target-name" => options with { TargetName = Next() },
                "--target-pids" => options with { TargetPids = Pids(Next()) },
                "--database-pid" => options with { DatabasePid = Pids(Next()) is [var pid] ? pid : throw new ArgumentException("--database-pid takes one process id.") },
                "--target-nodes" => options with { TargetNodes = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(AbsoluteUrl)] },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        // Bounded on purpose: loopback only, and no run longer than a few minutes of load.
        if (options.Sessions is < 1 or > 5000 || options.SessionsPerCounselor is < 1 or > 5000 || options.Rate is <= 0 or > 50_000
            || options.Duration > TimeSpan.FromMinutes(5) || options.Warmup > TimeSpan.FromMinutes(1) || options.CeilingDuration > TimeSpan.FromMinutes(2))
        {
            throw new ArgumentException("Out of bounds: sessions 1..5000, rate up to 50,000/s, duration ≤ 5 min, warmup ≤ 1 min, ceiling ≤ 2 min.");
        }

        // A running target replaces the tool's own; the options that describe one make no sense without it.
        if (options.TargetUrl is not null && targetsGiven)
        {
            throw new ArgumentException("--target-url loads a running server instead of the tool's own targets; leave out --targets.");
        }

        if (options.TargetUrl is null && (options.TargetPids.Count > 0 || options.DatabasePid is not null || options.TargetNodes.Count > 0))
        {
            throw new ArgumentException("--target-pids, --database-pid and --target-nodes describe a running target: give its --target-url too.");
        }

        // Beyond half, the risk path rather than the relay would be what the open loop measures.
        if (options.RiskShare is < 0 or > 0.5 || double.IsNaN(options.RiskShare))
        {
            throw new ArgumentException("Out of bounds: --risk-share 0..0.5 (a fraction of the client devices' messages; 0 turns risk messages off).");
        }

        return options;
    }

    private static Uri AbsoluteUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ArgumentException($"An http(s) address is needed, not '{value}'.");

    private static int[] Pids(string list)
    {
        var pids = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : throw new ArgumentException($"'{p}' is not a process id."))
            .ToArray();
        return pids.Length > 0 ? pids : throw new ArgumentException("A comma-separated list of process ids is needed.");
    }

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> variables, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--server-env needs NAME=VALUE, not '{assignment}'.");
        }

        return new Dictionary<string, string>(variables) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using HikiConsult.Client.Api;
using HikiConsult.ServerLauncher;

namespace HikiConsult.Client.Tests.Cluster;

/// <summary>
/// The cluster of docker-compose.yml started by <c>cluster/local.sh</c>, as an operator starts it: a private
/// PostgreSQL, three server nodes (this build's server) and HAProxy, on ports of their own so that a developer's
/// cluster on the default ports is left alone. Nodes are killed and started through the same script.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const int BasePort = 15180;
    public const int NodeCount = 3;

    private readonly string _state = Path.Combine(Path.GetTempPath(), "hikiconsult-cluster-tests", Guid.NewGuid().ToString("N"));

    /// <summary>HAProxy, in front of every node.</summary>
    public Uri Proxy { get; } = new($"http://127.0.0.1:{BasePort}");

    public static Uri Node(int n) => new($"http://127.0.0.1:{BasePort + n}");

    public static string Script { get; } = Path.Combine(FindRepository(), "cluster", "local.sh");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_state);

        // Test accounts sign in and pair far more often than a clinic's limits allow.
        await File.WriteAllLinesAsync(Path.Combine(_state, "test.env"),
        [
            "Auth__LoginPermitLimit=100000",
            "Auth__PairingPermitLimit=100000",
            "Auth__RefreshPermitLimit=100000",
            "Hubs__SendBurst=100000",
            "Hubs__SendPerSecond=100000",
            "Hubs__JoinBurst=100000",
            "Hubs__JoinPerSecond=100000",
        ]);
        await RunAsync("up");
    }

    public async Task DisposeAsync()
    {
        // The nodes' logs outlive the cluster, for a failed run: the last run's are in hikiconsult-cluster-tests/last-logs.
        var kept = Path.Combine(Path.GetTempPath(), "hikiconsult-cluster-tests", "last-logs");
        Directory.CreateDirectory(kept);
        foreach (var log in Directory.GetFiles(_state, "node*.log"))
        {
            File.Copy(log, Path.Combine(kept, Path.GetFileName(log)), overwrite: true);
        }

        await RunAsync("down");
    }

    /// <summary>kill -9 of node n.</summary>
    public Task KillAsync(int n) => RunAsync("kill", n.ToString());

    /// <summary>Starts node n and waits until its /health answers.</summary>
    public Task StartAsync(int n) => RunAsync("start", n.ToString());

    /// <summary>Stops node n gracefully (SIGTERM) and waits until it has exited.</summary>
    public Task StopAsync(int n) => RunAsync("stop", n.ToString());

    /// <summary>An API signed in as the demo admin on node n (or through HAProxy).</summary>
    public static async Task<HikiConsultApi> AdminAsync(Uri server)
    {
        var api = new HikiConsultApi(new HttpClient { BaseAddress = server });
        await api.LoginAsync("demo.admin", "demo-password");
        return api;
    }

    /// <summary>How many session grains node n's silo holds now.</summary>
    public static async Task<int> SessionGrainsOnAsync(int n, string adminToken)
    {
        using var http = new HttpClient { BaseAddress = Node(n) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", adminToken);
        var figures = await http.GetFromJsonAsync<RuntimeFigures>("/api/runtime");
        return figures!.SessionGrainActivations;
    }

    private async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CLUSTER_BASE_PORT"] = BasePort.ToString();
        start.Environment["CLUSTER_STATE"] = _state;
        start.Environment["CLUSTER_SERVER_DLL"] = ServerProcess.DefaultAssemblyPath;
        start.Environment["CLUSTER_ENV_FILE"] = Path.Combine(_state, "test.env");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"cluster/local.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}{NodeLogTails()}");
        }
    }

    private string NodeLogTails() =>
        string.Concat(Enumerable.Range(1, NodeCount)
            .Select(n => Path.Combine(_state, $"node{n}.log"))
            .Where(File.Exists)
            .Select(path => $"\n--- {Path.GetFileName(path)}\n" + string.Join('\n', File.ReadLines(path).TakeLast(30))));

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "cluster", "local.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cluster/local.sh not found above " + AppContext.BaseDirectory);
    }

    private sealed record RuntimeFigures(int SessionGrainActivations);
}

/// <summary>The cluster tests share one cluster and run alone: three nodes, PostgreSQL and HAProxy fill the machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "cluster";
}

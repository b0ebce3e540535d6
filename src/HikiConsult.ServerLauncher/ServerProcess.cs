using System.Reflection;

namespace HikiConsult.ServerLauncher;

/// <summary>
/// The real server as a child process on a loopback port and a given data directory, as an operator would run it
/// (<c>dotnet HikiConsult.Server.dll --urls …</c>). It can be killed like a crash (whole process tree, no shutdown)
/// and started again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private ServerProcess(ChildProcess process, string dataDirectory)
    {
        Process = process;
        DataDirectory = dataDirectory;
    }

    /// <summary>The server's process: its address, CPU time and last output lines.</summary>
    public ChildProcess Process { get; }

    public Uri BaseAddress => Process.BaseAddress;

    public string DataDirectory { get; }

    public int ProcessId => Process.ProcessId;

    public bool HasExited => Process.HasExited;

    /// <summary>The last lines the server wrote (for diagnosing a failed start).</summary>
    public string RecentOutput => Process.RecentOutput;

    /// <summary>The server assembly built with this library (same configuration), unless overridden.</summary>
    public static string DefaultAssemblyPath =>
        typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ServerAssemblyPath")?.Value
        ?? throw new InvalidOperationException("The server assembly path was not recorded at build time.");

    /// <summary>
    /// Starts the server and waits until /health answers 200. <paramref name="settings"/> are passed as
    /// configuration on the command line (e.g. "Auth:PairingPermitLimit" = "100000"); <paramref name="environmentVariables"/>
    /// are set for the server process only (runtime settings such as the garbage collector's). <paramref name="onLine"/>
    /// sees every line the server writes (see <see cref="ChildProcess.StartAsync"/>).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string dataDirectory,
        int? port = null,
        string? assemblyPath = null,
        IReadOnlyDictionary<string, string>? settings = null,
        string environment = "Development",
        IReadOnlyDictionary<string, string>? environmentVariables = null,
        TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default,
        Action<string>? onLine = null,
        int keptLines = 200)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port ?? LoopbackPorts.GetFree()}");
        // The keys inside the tool's temporary directory, removed with it (a server's default is a sibling of its data).
        var arguments = new List<string>
        {
            "--urls", baseAddress.ToString().TrimEnd('/'), "--Storage:DataDirectory=" + dataDirectory, "--Keys:Directory=" + Path.Combine(dataDirectory, "keys"),
        };
        arguments.AddRange((settings ?? new Dictionary<string, string>()).Select(s => $"--{s.Key}={s.Value}"));
        var variables = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["DOTNET_ENVIRONMENT"] = environment,
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (name, value) in environmentVariables ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var process = await ChildProcess.StartAsync(
            assemblyPath ?? DefaultAssemblyPath, baseAddress, arguments, variables, "/health", startTimeout ?? TimeSpan.FromSeconds(60), cancellationToken, onLine, keptLines);
        return new ServerProcess(process, dataDirectory);
    }

    /// <summary>Kills the server and its children at once, like a crash or kill -9, and waits until it is gone.</summary>
    public void Kill() => Process.Kill();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

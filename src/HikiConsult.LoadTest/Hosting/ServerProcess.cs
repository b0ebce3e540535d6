using System.Diagnostics;
using System.Reflection;

namespace HikiConsult.LoadTest.Hosting;

/// <summary>
/// The real server as a child process on a loopback port and a given data directory, as an operator would run it
/// (<c>dotnet HikiConsult.Server.dll --urls …</c>). It can be killed like a crash (whole process tree, no shutdown)
/// and started again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int LogLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private ServerProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the server process has used so far (all threads, user and kernel).</summary>
    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The server assembly built next to this tool (same configuration), unless overridden.</summary>
    public static string DefaultAssemblyPath =>
        typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ServerAssemblyPath")?.Value
        ?? throw new InvalidOperationException("The server assembly path was not recorded at build time.");

    /// <summary>
    /// Starts the server and waits until /health answers 200. <paramref name="settings"/> are passed as
    /// configuration on the command line (e.g. "Auth:PairingPermitLimit" = "100000"); <paramref name="environmentVariables"/>
    /// are set for the server process only (runtime settings such as the garbage collector's).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string dataDirectory,
        int? port = null,
        string? assemblyPath = null,
        IReadOnlyDictionary<string, string>? settings = null,
        string environment = "Development",
        IReadOnlyDictionary<string, string>? environmentVariables = null,
        TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default)
    {
        assemblyPath ??= DefaultAssemblyPath;
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"Server assembly not found at {assemblyPath}; build src/HikiConsult.Server first.", assemblyPath);
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port ?? LoopbackPorts.GetFree()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--Storage:DataDirectory=" + dataDirectory);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in environmentVariables ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
        var server = new ServerProcess(process, baseAddress, dataDirectory);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitHealthyAsync(startTimeout ?? TimeSpan.FromSeconds(60), cancellationToken);
            return server;
        }
        catch
        {
            server.Kill();
            throw;
        }
    }

    /// <summary>The last lines the server wrote (for diagnosing a failed start).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_log)
            {
                return string.Join(Environment.NewLine, _log);
            }
        }
    }

    /// <summary>Kills the server and its children at once, like a crash or kill -9, and waits until it is gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} while starting:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync("/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow first answer; ask again.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The server did not become healthy within {timeout}:{Environment.NewLine}{RecentOutput}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > LogLines)
            {
                _log.Dequeue();
            }
        }
    }
}

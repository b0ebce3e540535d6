using System.Diagnostics;

namespace HikiConsult.ServerLauncher;

/// <summary>
/// A .NET assembly run as a child process (<c>dotnet assembly.dll …</c>) that serves HTTP on a loopback port: started,
/// waited on until a health path answers 200, and killed like a crash (whole process tree, no shutdown). Its last
/// output lines are kept for diagnosing a failure; a caller that talks to the process reads every line as it comes
/// and writes to its standard input.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly int _keptLines;
    private readonly Action<string>? _onLine;

    private ChildProcess(Process process, Uri baseAddress, int keptLines, Action<string>? onLine)
    {
        _process = process;
        BaseAddress = baseAddress;
        _keptLines = keptLines;
        _onLine = onLine;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far (all threads, user and kernel).</summary>
    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The process's standard input (a control channel for a process that reads one).</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>The last lines the process wrote.</summary>
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

    /// <summary>
    /// Starts <c>dotnet <paramref name="assemblyPath"/> <paramref name="arguments"/></c> with
    /// <paramref name="environmentVariables"/> set for it alone, and waits until GET <paramref name="healthPath"/> at
    /// <paramref name="baseAddress"/> answers 200. <paramref name="onLine"/>, if given, sees every line of output (from
    /// the start, on the thread that reads it); the last <paramref name="keptLines"/> lines are kept.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(
        string assemblyPath,
        Uri baseAddress,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environmentVariables,
        string healthPath,
        TimeSpan startTimeout,
        CancellationToken cancellationToken,
        Action<string>? onLine = null,
        int keptLines = 200)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"Assembly not found at {assemblyPath}; build it first.", assemblyPath);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            // The child can watch its input for the end of this process (a serving mode that should not outlive its parent).
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environmentVariables)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path.GetFileName(assemblyPath)} did not start.");
        var child = new ChildProcess(process, baseAddress, keptLines, onLine);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await child.WaitHealthyAsync(healthPath, startTimeout, cancellationToken);
            return child;
        }
        catch
        {
            child.Kill();
            throw;
        }
    }

    /// <summary>Kills the process and its children at once, like a crash or kill -9, and waits until it is gone.</summary>
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

    private async Task WaitHealthyAsync(string healthPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {_process.ExitCode} while starting:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(healthPath, cancellationToken);
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

        throw new TimeoutException($"The process did not become healthy within {timeout}:{Environment.NewLine}{RecentOutput}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _onLine?.Invoke(line);
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > _keptLines)
            {
                _log.Dequeue();
            }
        }
    }
}

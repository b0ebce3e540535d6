using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using HikiConsult.Cohort.SimulatedTime;

namespace HikiConsult.Cohort.Hosting;

/// <summary>
/// The real server as a child process, started as an operator would (<c>dotnet HikiConsult.Server.dll --urls …</c>,
/// Development environment, demo seed) on a loopback port and a given data directory, with one addition: the
/// <see cref="SimulatedClockHook"/> startup hook, so that every timestamp the server takes comes from a clock this
/// class moves (<see cref="AdvanceToAsync"/>). Disposing kills the process.
/// </summary>
public sealed class SimulatedServer : IAsyncDisposable
{
    private const int KeptLines = 300;
    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly Channel<string> _replies = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly TaskCompletionSource<DateTimeOffset> _installed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, int> _problems = new(StringComparer.Ordinal);
    private string? _problemHeader;
    private int _warnings;
    private int _errors;

    private SimulatedServer(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    /// <summary>The simulated instant the server's clock was last set to.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Log lines of level warning, and of level error or critical, the server wrote so far.</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Warning and error log entries by "level: category: first message line", counted.</summary>
    public IReadOnlyDictionary<string, int> Problems
    {
        get
        {
            lock (_problems)
            {
                return new Dictionary<string, int>(_problems);
            }
        }
    }

    /// <summary>The server assembly built next to this tool (same configuration).</summary>
    public static string DefaultAssemblyPath =>
        typeof(SimulatedServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ServerAssemblyPath")?.Value
        ?? throw new InvalidOperationException("The server assembly path was not recorded at build time.");

    /// <summary>Starts the server with its clock at <paramref name="start"/> and waits until it answers /health.</summary>
    /// <param name="settings">Configuration passed on the command line (key = value).</param>
    public static async Task<SimulatedServer> StartAsync(
        string dataDirectory,
        DateTimeOffset start,
        IReadOnlyDictionary<string, string> settings,
        string? assemblyPath = null,
        CancellationToken cancellationToken = default)
    {
        assemblyPath ??= DefaultAssemblyPath;
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"Server assembly not found at {assemblyPath}; build src/HikiConsult.Server first.", assemblyPath);
        }

        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assemblyPath);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        info.ArgumentList.Add("--Storage:DataDirectory=" + dataDirectory);
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["DOTNET_STARTUP_HOOKS"] = typeof(SimulatedClockHook).Assembly.Location;
        info.Environment[SimulatedClockHook.StartVariable] = start.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

        var process = Process.Start(info) ?? throw new InvalidOperationException("The server process did not start.");
        var server = new SimulatedServer(process, baseAddress, dataDirectory) { Now = start.ToUniversalTime() };
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var installedAt = await server._installed.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            if (installedAt != server.Now)
            {
                throw new InvalidOperationException($"The server's simulated clock started at {installedAt:O}, not {server.Now:O}.");
            }

            var now = await server.SendAsync("now", cancellationToken);
            if (now != server.Now)
            {
                throw new InvalidOperationException($"The server's simulated clock reads {now:O} before any advance, not {server.Now:O}.");
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves the server's clock forward; timers due on the way fire before this returns.</summary>
    public async Task AdvanceToAsync(DateTimeOffset target, CancellationToken cancellationToken = default)
    {
        if (target < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(target), $"The simulated clock is at {Now:O} already.");
        }

        if (target == Now)
        {
            return;
        }

        var now = await SendAsync("advance " + target.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        if (now != target.ToUniversalTime())
        {
            throw new InvalidOperationException($"The server's clock is at {now:O} after advancing to {target:O}.");
        }

        Now = now;
    }

    /// <summary>The last lines the server wrote (for diagnosing a failure).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_recent)
            {
                return string.Join(Environment.NewLine, _recent);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Gone already, or not worth waiting for.
        }

        _process.Dispose();
        _control.Dispose();
    }

    private async Task<DateTimeOffset> SendAsync(string command, CancellationToken cancellationToken)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
            var reply = await _replies.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var parts = reply.Split(' ');
            if (parts.Length < 3 || parts[1] != "now")
            {
                throw new InvalidOperationException($"The simulated clock refused '{command}': {reply}");
            }

            return DateTimeOffset.Parse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
        finally
        {
            _control.Release();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(SimulatedClockHook.ReplyPrefix, StringComparison.Ordinal))
        {
            var parts = line.Split(' ');
            if (parts.Length >= 3 && parts[1] == "installed")
            {
                _installed.TrySetResult(DateTimeOffset.Parse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            }
            else
            {
                _replies.Writer.TryWrite(line);
            }

            return;
        }

        if (line.StartsWith("warn:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _warnings);
        }
        else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errors);
        }

        // The simple console format puts level and category on one line and the message, indented, on the next.
        lock (_problems)
        {
            if (_problemHeader is not null)
            {
                var key = Generalize($"{_problemHeader}: {line.Trim()}");
                _problems[key] = _problems.GetValueOrDefault(key) + 1;
                _problemHeader = null;
            }
            else if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                _problemHeader = line.Trim();
            }
        }

        lock (_recent)
        {
            _recent.Enqueue(line);
            while (_recent.Count > KeptLines)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>Ids, sequence numbers and ports out, so that entries of one kind count together.</summary>
    private static string Generalize(string text)
    {
        text = Regex.Replace(text, @"\b([a-z]{2})_[0-9a-f]{16,}\b", "$1_…");
        text = Regex.Replace(text, @"(se_…)/\d+", "$1/…");
        return Regex.Replace(text, @"127\.0\.0\.1:\d+", "127.0.0.1:…");
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

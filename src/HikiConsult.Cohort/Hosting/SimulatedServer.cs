using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using HikiConsult.Cohort.SimulatedTime;
using HikiConsult.ServerLauncher;

namespace HikiConsult.Cohort.Hosting;

/// <summary>
/// The real server as a child process (<see cref="ServerProcess"/>: started as an operator would, <c>dotnet
/// HikiConsult.Server.dll --urls …</c>, Development environment, demo seed, on a loopback port and a given data
/// directory), with one addition: the
/// <see cref="SimulatedClockHook"/> startup hook, so that every timestamp the server takes comes from a clock this
/// class moves (<see cref="AdvanceToAsync"/>). Disposing kills the process.
/// </summary>
public sealed class SimulatedServer : IAsyncDisposable
{
    private const int KeptLines = 300;
    private readonly Channel<string> _replies = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly TaskCompletionSource<DateTimeOffset> _installed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, int> _problems = new(StringComparer.Ordinal);
    private string? _problemHeader;
    private int _warnings;
    private int _errors;

    // Set once the process is started; its output reaches OnLine from the first line on.
    private ServerProcess _process = null!;

    private SimulatedServer()
    {
    }

    public Uri BaseAddress => _process.BaseAddress;

    public string DataDirectory => _process.DataDirectory;

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

    /// <summary>Starts the server with its clock at <paramref name="start"/> and waits until it answers /health.</summary>
    /// <param name="settings">Configuration passed on the command line (key = value).</param>
    public static async Task<SimulatedServer> StartAsync(
        string dataDirectory,
        DateTimeOffset start,
        IReadOnlyDictionary<string, string> settings,
        string? assemblyPath = null,
        CancellationToken cancellationToken = default)
    {
        var server = new SimulatedServer { Now = start.ToUniversalTime() };
        server._process = await ServerProcess.StartAsync(
            dataDirectory,
            assemblyPath: assemblyPath,
            settings: settings,
            environmentVariables: new Dictionary<string, string>
            {
                ["DOTNET_STARTUP_HOOKS"] = typeof(SimulatedClockHook).Assembly.Location,
                [SimulatedClockHook.StartVariable] = start.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            },
            cancellationToken: cancellationToken,
            onLine: server.OnLine,
            keptLines: KeptLines);
        try
        {
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
    public string RecentOutput => _process.RecentOutput;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _control.Dispose();
    }

    private async Task<DateTimeOffset> SendAsync(string command, CancellationToken cancellationToken)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            await _process.Process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
            await _process.Process.StandardInput.FlushAsync(cancellationToken);
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

    private void OnLine(string line)
    {
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
    }

    /// <summary>Ids, sequence numbers and ports out, so that entries of one kind count together.</summary>
    private static string Generalize(string text)
    {
        text = Regex.Replace(text, @"\b([a-z]{2})_[0-9a-f]{16,}\b", "$1_…");
        text = Regex.Replace(text, @"(se_…)/\d+", "$1/…");
        return Regex.Replace(text, @"127\.0\.0\.1:\d+", "127.0.0.1:…");
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HikiConsult.Cohort.SimulatedTime;

/// <summary>
/// Runs inside the server process (loaded as a startup hook) and gives the unmodified server a simulated clock:
/// when the host is being built it registers a <see cref="SimulatedClock"/> as the <see cref="TimeProvider"/> (the
/// last registration wins over the grain host's <c>TryAddSingleton(TimeProvider.System)</c>), the same interception
/// WebApplicationFactory uses. The harness moves the clock through standard input, one command per line:
/// <c>advance &lt;ISO 8601 instant&gt;</c> or <c>now</c>; each is answered on standard output by a line
/// <c>@@simclock now &lt;instant&gt; &lt;timers fired&gt;</c> (or <c>@@simclock error &lt;text&gt;</c>). When standard
/// input closes (the harness is gone) the process exits, so no server outlives its run.
/// Refuses to run outside the Development environment: a simulated clock is an evaluation tool only.
/// </summary>
public static class SimulatedClockHook
{
    public const string StartVariable = "HIKICONSULT_SIMULATED_CLOCK_START";
    public const string ReplyPrefix = "@@simclock";
    private const string HostingListenerName = "Microsoft.Extensions.Hosting";

    private static SimulatedClock? _clock;

    public static void Install()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        if (!string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The simulated clock is for evaluation runs in the Development environment only.");
        }

        var start = Environment.GetEnvironmentVariable(StartVariable)
            ?? throw new InvalidOperationException($"{StartVariable} (an ISO 8601 instant) is required with the simulated clock.");
        _clock = new SimulatedClock(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        DiagnosticListener.AllListeners.Subscribe(new HostingObserver(_clock));
        new Thread(ReadCommands) { IsBackground = true, Name = "simulated-clock-control" }.Start();
    }

    /// <summary>Parses one command and returns the reply line.</summary>
    internal static string Execute(SimulatedClock clock, string line)
    {
        var parts = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        try
        {
            switch (parts)
            {
                case ["now"]:
                    return Reply(clock.GetUtcNow(), 0);
                case ["advance", var target]:
                    var fired = clock.AdvanceTo(DateTimeOffset.Parse(target, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
                    return Reply(clock.GetUtcNow(), fired);
                default:
                    return $"{ReplyPrefix} error unknown command";
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return $"{ReplyPrefix} error {ex.Message.ReplaceLineEndings(" ")}";
        }
    }

    private static string Reply(DateTimeOffset now, int fired) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReplyPrefix} now {now:O} {fired}");

    private static void ReadCommands()
    {
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            if (line.Length > 0)
            {
                Console.Out.WriteLine(Execute(_clock!, line));
                Console.Out.Flush();
            }
        }

        // The harness closed our input: it is gone, and so is the only thing that could move the clock.
        Environment.Exit(0);
    }

    private sealed class HostingObserver(SimulatedClock clock) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == HostingListenerName)
            {
                listener.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilding" && value.Value is IHostBuilder builder)
            {
                builder.ConfigureServices((_, services) => services.AddSingleton<TimeProvider>(clock));
                Console.Out.WriteLine($"{ReplyPrefix} installed {clock.GetUtcNow():O}");
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}

using HikiConsult.Contracts;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using Microsoft.Extensions.Options;
using Orleans;

namespace HikiConsult.Server.Erasure;

/// <summary>
/// The retention policy: every <see cref="RetentionOptions.CheckInterval"/> on the server's clock, erases the clients
/// whose sessions have all been closed for <see cref="RetentionOptions.ErasureAfterClosedYears"/> years. Does nothing
/// when that is not set.
/// </summary>
public sealed partial class RetentionService(
    IOptions<RetentionOptions> options, IClientDirectory directory, IGrainFactory grains, ClientEraser eraser, TimeProvider time, ILogger<RetentionService> logger)
    : BackgroundService
{
    /// <summary>The tombstone's actor for erasures by age.</summary>
    public const string ActorId = "retention";

    private TaskCompletionSource<IReadOnlyList<string>> _nextSweep = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the clients erased by the next sweep that ends (for tests and diagnostics).</summary>
    public Task<IReadOnlyList<string>> NextSweep => Volatile.Read(ref _nextSweep).Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.ErasureAfterClosedYears is not { } years)
        {
            return;
        }

        if (years < 1 || settings.CheckInterval < TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException("Retention:ErasureAfterClosedYears must be 1 or more and Retention:CheckInterval at least a minute.");
        }

        using var timer = new PeriodicTimer(settings.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                IReadOnlyList<string> erased = [];
                try
                {
                    erased = await SweepAsync(years, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again.
                    SweepFailed(logger, ex.GetType().Name);
                }

                Interlocked.Exchange(ref _nextSweep, new(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult(erased);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Erases every client closed for at least <paramref name="years"/> years now; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(int years, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddYears(-years);
        var erased = new List<string>();
        foreach (var clientId in await directory.ListAsync(cancellationToken))
        {
            var lastActivity = await LastActivityIfClosedAsync(clientId);
            if (lastActivity is { } at && at <= cutoff
                && await eraser.EraseAsync(clientId, ActorId, Roles.System, cancellationToken) is not null)
            {
                erased.Add(clientId);
            }
        }

        if (erased.Count > 0)
        {
            SweepErased(logger, erased.Count, years);
        }

        return erased;
    }

    /// <summary>When the client's last session closed (its creation if it has none); null while a session is open.</summary>
    private async Task<DateTimeOffset?> LastActivityIfClosedAsync(string clientId)
    {
        var client = await grains.GetGrain<IClientGrain>(clientId).Get();
        if (client is null)
        {
            return null;
        }

        var last = client.CreatedAt;
        foreach (var summary in await grains.GetGrain<IClientGrain>(clientId).GetSessions())
        {
            // The session's own state decides: the client's list may be behind it after a crash.
            var session = await grains.GetGrain<IConsultationSessionGrain>(summary.SessionId).Get();
            if (session is null)
            {
                continue;
            }

            if (SessionStates.IsOpen(session.State))
            {
                return null;
            }

            var closed = session.EndedAt ?? session.ScheduledAt ?? session.CreatedAt;
            last = closed > last ? closed : last;
        }

        return last;
    }

    [LoggerMessage(1, LogLevel.Information, "Retention erased {Count} clients closed for {Years} years or more")]
    private static partial void SweepErased(ILogger logger, int count, int years);

    [LoggerMessage(2, LogLevel.Warning, "Retention sweep failed with {ExceptionType}; the next one tries again")]
    private static partial void SweepFailed(ILogger logger, string exceptionType);
}

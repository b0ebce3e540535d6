using HikiConsult.Server.Hubs;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Auth;

/// <summary>
/// Checks every open hub connection against its account or device every <see cref="AuthOptions.CredentialRecheckInterval"/>
/// and closes those whose credential no longer holds (signed out, disabled, revoked, role or client changed), also when
/// the change came from outside this process.
/// </summary>
internal sealed partial class CredentialRecheck(
    ConnectionRegistry connections, CredentialStatus status, IOptions<AuthOptions> options, TimeProvider time, ILogger<CredentialRecheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CredentialRecheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAllAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public async Task<int> CheckAllAsync(CancellationToken cancellationToken)
    {
        var closed = 0;
        foreach (var context in connections.Snapshot())
        {
            try
            {
                if (!await status.IsActiveAsync(context.User, cancellationToken))
                {
                    context.Abort();
                    closed++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next round tries again; a failing store must not stop the checks.
                CheckFailed(logger, ex.GetType().Name);
            }
        }

        if (closed > 0)
        {
            Closed(logger, closed);
        }

        return closed;
    }

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} hub connections whose credential no longer holds")]
    private static partial void Closed(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Warning, "Credential check of an open connection failed with {ExceptionType}")]
    private static partial void CheckFailed(ILogger logger, string exceptionType);
}

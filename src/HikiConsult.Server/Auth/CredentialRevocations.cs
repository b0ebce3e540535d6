using HikiConsult.Grains.Access;
using HikiConsult.Server.Hubs;
using Orleans;

namespace HikiConsult.Server.Auth;

/// <summary>
/// Closes the hub connections of a revoked credential on every node: here at once, and on the other nodes through the
/// <see cref="ICredentialRevocationGrain"/>, to which this node's observer subscribes before the server takes requests
/// and renews every <see cref="CredentialRevocationTiming.RenewPeriod"/>.
/// </summary>
public sealed partial class CredentialRevocations(
    IGrainFactory grains, ConnectionRegistry connections, TimeProvider time, ILogger<CredentialRevocations> logger) : BackgroundService, ICredentialRevocationObserver
{
    private ICredentialRevocationObserver? _reference;

    private ICredentialRevocationGrain Fanout => grains.GetGrain<ICredentialRevocationGrain>(0);

    /// <param name="principalId">The device or account.</param>
    /// <param name="authSessionId">Only the connections of this sign-in; null for all of the principal's connections.</param>
    public async Task RevokeAsync(string principalId, string? authSessionId = null)
    {
        Close(principalId, authSessionId);
        try
        {
            await Fanout.Revoke(principalId, authSessionId);
        }
        catch (Exception ex)
        {
            // The store already refuses the credential; other nodes' periodic checks close what is left open.
            FanoutFailed(logger, ex);
        }
    }

    public Task OnRevoked(string principalId, string? authSessionId)
    {
        Close(principalId, authSessionId);
        return Task.CompletedTask;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<ICredentialRevocationObserver>(this);
        await Fanout.Subscribe(_reference);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_reference is not null)
        {
            try
            {
                await Fanout.Unsubscribe(_reference);
            }
            catch (Exception ex)
            {
                RenewFailed(logger, ex);
            }

            ObserverReferences.Delete(grains, _reference);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CredentialRevocationTiming.RenewPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await Fanout.Subscribe(_reference!);
                }
                catch (Exception ex)
                {
                    RenewFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Close(string principalId, string? authSessionId)
    {
        if (authSessionId is null)
        {
            connections.AbortAll(principalId);
        }
        else
        {
            connections.AbortWhere(principalId, c => c.User?.FindFirst(TokenClaims.SessionId)?.Value == authSessionId);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Telling the other nodes of a revoked credential failed; their periodic checks will close its connections")]
    private static partial void FanoutFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Renewing the credential revocation subscription failed")]
    private static partial void RenewFailed(ILogger logger, Exception exception);
}

using HikiConsult.Grains.Access;
using HikiConsult.Server.Hubs;
using HikiConsult.Server.Silo;
using Orleans;

namespace HikiConsult.Server.Auth;

/// <summary>
/// Closes the hub connections of a revoked credential on every node: here at once, and on the other nodes through the
/// <see cref="ICredentialRevocationGrain"/>, to which this node subscribes, renewed every
/// <see cref="CredentialRevocationTiming.RenewPeriod"/>.
/// </summary>
public sealed partial class CredentialRevocations(
    IGrainFactory grains, ConnectionRegistry connections, TimeProvider time, ILogger<CredentialRevocations> logger)
    : ObserverSubscription<ICredentialRevocationObserver>(grains, time, logger, CredentialRevocationTiming.RenewPeriod), ICredentialRevocationObserver
{
    private ICredentialRevocationGrain Fanout => Grains.GetGrain<ICredentialRevocationGrain>(0);

    protected override ICredentialRevocationObserver Observer => this;

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

    protected override Task SubscribeAsync(ICredentialRevocationObserver reference) => Fanout.Subscribe(reference);

    protected override Task UnsubscribeAsync(ICredentialRevocationObserver reference) => Fanout.Unsubscribe(reference);

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
}

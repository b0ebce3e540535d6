using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Utilities;

namespace HikiConsult.Grains.Access;

[GrainType("credential-revocation")]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class CredentialRevocationGrain(ILogger<CredentialRevocationGrain> logger) : Grain, ICredentialRevocationGrain
{
    private readonly ObserverManager<ICredentialRevocationObserver> _observers = new(CredentialRevocationTiming.Expiry, logger);

    public Task Subscribe(ICredentialRevocationObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(ICredentialRevocationObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Revoke(string principalId, string? authSessionId) => _observers.Notify(o => o.OnRevoked(principalId, authSessionId));
}

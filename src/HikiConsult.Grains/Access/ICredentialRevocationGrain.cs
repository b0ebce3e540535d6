using Orleans;
using Orleans.Concurrency;

namespace HikiConsult.Grains.Access;

/// <summary>
/// Receives, on every server node, a credential revoked on any node (a device revoked, an account disabled, a sign-in
/// ended), so that the node closes the open hub connections that used it at once. One way and at most once: each
/// node's periodic credential check closes what a lost notice left open.
/// </summary>
[Alias("hc.ICredentialRevocationObserver")]
public interface ICredentialRevocationObserver : IGrainObserver
{
    /// <param name="principalId">The device or account.</param>
    /// <param name="authSessionId">Only the connections of this sign-in; null for every connection of the principal.</param>
    [OneWay]
    Task OnRevoked(string principalId, string? authSessionId);
}

/// <summary>Fan-out of revocations to the nodes' observers (key 0). Nodes subscribe and renew well within <see cref="CredentialRevocationTiming.Expiry"/>.</summary>
[Alias("hc.ICredentialRevocationGrain")]
public interface ICredentialRevocationGrain : IGrainWithIntegerKey
{
    Task Subscribe(ICredentialRevocationObserver observer);

    Task Unsubscribe(ICredentialRevocationObserver observer);

    Task Revoke(string principalId, string? authSessionId);
}

public static class CredentialRevocationTiming
{
    /// <summary>Short, so that after the grain moves with a lost node the nodes are back on its list within seconds.</summary>
    public static readonly TimeSpan RenewPeriod = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(1);
}

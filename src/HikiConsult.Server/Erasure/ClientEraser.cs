using HikiConsult.Contracts;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Counselors;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Hubs;
using Orleans;

namespace HikiConsult.Server.Erasure;

/// <summary>
/// Erases one client: first its grains (so that no live activation writes its state back), then every row of it in
/// one transaction (<see cref="IClientErasureStore"/>), then its devices' open connections and its place in the
/// triage queue. Used by the endpoint and by the retention policy.
/// </summary>
public sealed partial class ClientEraser(
    IGrainFactory grains, IClientErasureStore store, ConnectionRegistry connections, TimeProvider time, ILogger<ClientEraser> logger)
{
    /// <summary>Null when there is no such client.</summary>
    public async Task<ErasureReceipt?> EraseAsync(string clientId, string actorId, string actorRole, CancellationToken cancellationToken = default)
    {
        var clientGrain = grains.GetGrain<IClientGrain>(clientId);
        var client = await clientGrain.Get();
        if (client is null)
        {
            return null;
        }

        var sessionIds = (await clientGrain.GetSessions()).Select(s => s.SessionId).ToList();
        await Task.WhenAll(sessionIds.Select(id => grains.GetGrain<IConsultationSessionGrain>(id).Erase()));

        // The client record before the early consultation grain: a fresh activation of that one then finds no client and does nothing.
        await clientGrain.Erase();
        await grains.GetGrain<IClientEarlyConsultationGrain>(clientId).Erase();
        await Task.WhenAll(client.AssignedCounselorIds.Select(id => grains.GetGrain<ICounselorGrain>(id).RemoveFromCaseload(clientId)));

        var at = time.GetUtcNow();
        var devices = await store.EraseAsync(new ClientErasure(clientId, sessionIds, actorId, actorRole, at), cancellationToken);
        foreach (var device in devices)
        {
            connections.AbortAll(device);
        }

        await grains.GetGrain<ITriageGrain>(EarlyConsultationOptions.DefaultClinic).Refresh();
        Erased(logger, clientId, sessionIds.Count, actorRole);
        return new ErasureReceipt(clientId, at, sessionIds.Count);
    }

    [LoggerMessage(1, LogLevel.Information, "Erased client {ClientId} with {Sessions} sessions (by {ActorRole})")]
    private static partial void Erased(ILogger logger, string clientId, int sessions, string actorRole);
}

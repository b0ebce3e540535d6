using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// This node's subscriber to one session: forwards the session's pushes to the connections on this node that
/// joined it, on either hub. Its calls arrive one at a time in the order the grain made them, so every
/// connection sees seq order. Each push is written straight to each connection: a SignalR group send serializes
/// the message into an array of its own first, to share among the group, which a session's one or two
/// connections per hub never repay.
/// </summary>
internal sealed class SessionObserver : ISessionObserver
{
    private readonly Lock _lock = new();

    // Replaced, never changed in place, so a push reads it without the lock.
    private (string ConnectionId, IClientProxy Client)[] _connections = [];

    /// <summary>Adds a connection that joined the session; returns how many this node has now.</summary>
    public int Add(string connectionId, IClientProxy client)
    {
        lock (_lock)
        {
            if (Array.FindIndex(_connections, c => c.ConnectionId == connectionId) < 0)
            {
                _connections = [.. _connections, (connectionId, client)];
            }

            return _connections.Length;
        }
    }

    /// <summary>Removes a connection that left the session; returns how many this node has now.</summary>
    public int Remove(string connectionId)
    {
        lock (_lock)
        {
            _connections = Array.FindAll(_connections, c => c.ConnectionId != connectionId);
            return _connections.Length;
        }
    }

    public Task OnSessionEvent(SessionEventDto sessionEvent) => PushAsync(HubMethods.SessionEvent, sessionEvent);

    public Task OnSessionState(SessionStateDto state) => PushAsync(HubMethods.SessionState, state);

    private Task PushAsync(string method, object payload)
    {
        var connections = Volatile.Read(ref _connections);
        object?[] arguments = [payload];
        switch (connections.Length)
        {
            case 0:
                return Task.CompletedTask;
            case 1:
                return connections[0].Client.SendCoreAsync(method, arguments);
            default:
                // A send usually completes at once (written to the connection's pipe): wait only for those that did not.
                List<Task>? pending = null;
                foreach (var (_, client) in connections)
                {
                    var send = client.SendCoreAsync(method, arguments);
                    if (!send.IsCompletedSuccessfully)
                    {
                        (pending ??= new List<Task>(connections.Length)).Add(send);
                    }
                }

                return pending switch
                {
                    null => Task.CompletedTask,
                    [var only] => only,
                    _ => Task.WhenAll(pending),
                };
        }
    }
}

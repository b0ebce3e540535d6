using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// The hub connections on this node by caller (user or device id), so that revoking a device or disabling an
/// account closes its open connections at once.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byCaller = new(StringComparer.Ordinal);

    public void Add(string callerId, HubCallerContext context) =>
        _byCaller.GetOrAdd(callerId, _ => new ConcurrentDictionary<string, HubCallerContext>(StringComparer.Ordinal))[context.ConnectionId] = context;

    public void Remove(string callerId, string connectionId)
    {
        if (_byCaller.TryGetValue(callerId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
        }
    }

    public int Count(string callerId) => _byCaller.TryGetValue(callerId, out var connections) ? connections.Count : 0;

    /// <summary>Every connection on this node, for the periodic credential check.</summary>
    public IReadOnlyList<HubCallerContext> Snapshot() => [.. _byCaller.Values.SelectMany(c => c.Values)];

    /// <summary>Closes the caller's connections that match (e.g. those of one sign-in session).</summary>
    public void AbortWhere(string callerId, Func<HubCallerContext, bool> match)
    {
        if (_byCaller.TryGetValue(callerId, out var connections))
        {
            foreach (var (id, context) in connections)
            {
                if (match(context) && connections.TryRemove(id, out _))
                {
                    context.Abort();
                }
            }
        }
    }

    /// <summary>Closes every connection of the caller on this node.</summary>
    public void AbortAll(string callerId)
    {
        if (_byCaller.TryRemove(callerId, out var connections))
        {
            foreach (var context in connections.Values)
            {
                context.Abort();
            }
        }
    }
}

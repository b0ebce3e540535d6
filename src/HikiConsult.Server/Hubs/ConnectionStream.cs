using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// One connection's view of one session's events: sends each event once, in seq order, holding any that arrive
/// before their predecessors. Not thread-safe: its <see cref="SessionObserver"/> calls it under its lock, which also
/// keeps the sends to one connection in the order they are made.
/// </summary>
internal sealed class ConnectionStream(string connectionId, IClientProxy client)
{
    /// <summary>Most events held for one connection; past it the oldest are dropped and read from the log instead.</summary>
    private const int MaxHeld = 1024;

    private readonly SortedList<long, SessionEventDto> _held = [];

    public string ConnectionId { get; } = connectionId;

    public IClientProxy Client { get; } = client;

    /// <summary>The last seq sent (or covered by the join's history); null while the connection is still joining.</summary>
    public long? Sent { get; private set; }

    /// <summary>The join covered everything up to <paramref name="historyUpTo"/>: send what is held after it, in order.</summary>
    public void Start(long historyUpTo)
    {
        Sent = historyUpTo;
        SendHeldInOrder();
    }

    public void Offer(SessionEventDto e)
    {
        if (e.Seq <= Sent || _held.ContainsKey(e.Seq))
        {
            return; // sent already, or a duplicate of one held
        }

        if (_held.Count >= MaxHeld)
        {
            // The gap has lasted long: the newest held ones are read again from the log once it closes.
            _held.RemoveAt(_held.Count - 1);
            if (e.Seq > _held.Keys[^1])
            {
                return;
            }
        }

        _held.Add(e.Seq, e);
        SendHeldInOrder();
    }

    /// <summary>Logs a failed send instead of leaving it unobserved (a connection that closed meanwhile).</summary>
    public static void Observe(Task send)
    {
        if (!send.IsCompletedSuccessfully)
        {
            send.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private void SendHeldInOrder()
    {
        if (Sent is not { } sent)
        {
            return;
        }

        while (_held.Count > 0 && _held.Keys[0] <= sent + 1)
        {
            var next = _held.Values[0];
            _held.RemoveAt(0);
            if (next.Seq == sent + 1)
            {
                Observe(Client.SendCoreAsync(HubMethods.SessionEvent, [next]));
                sent = next.Seq;
            }
        }

        Sent = sent;
    }
}

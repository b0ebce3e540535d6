using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// The acks of the last few hundred sends, so that a burst of resends after a reconnect is answered without a
/// store round trip. A miss is not an answer: the store is asked. Not thread-safe (used from grain turns).
/// </summary>
internal sealed class RecentAcks(int capacity)
{
    private readonly Dictionary<(string SenderId, string ClientMsgId), SendAck> _acks = new();
    private readonly Queue<(string SenderId, string ClientMsgId)> _order = new();

    public bool TryGet(string senderId, string clientMsgId, out SendAck ack) =>
        _acks.TryGetValue((senderId, clientMsgId), out ack!);

    public void Add(string senderId, string clientMsgId, SendAck ack)
    {
        var key = (senderId, clientMsgId);
        if (!_acks.TryAdd(key, ack))
        {
            return;
        }

        _order.Enqueue(key);
        while (_order.Count > capacity)
        {
            _acks.Remove(_order.Dequeue());
        }
    }
}

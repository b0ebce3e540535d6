using HikiConsult.Contracts;

namespace HikiConsult.Client.Sessions;

/// <summary>
/// Turns events that arrive from several paths (live pushes, join results after a reconnect, the sender's own
/// acks) into one stream in seq order with every seq exactly once. Events ahead of a gap wait until the gap is
/// filled. Not thread-safe: the owner serializes calls.
/// </summary>
public sealed class EventSequencer
{
    private readonly SortedDictionary<long, SessionEventDto> _pending = new();

    /// <param name="lastDelivered">The seq the consumer already has; only later events are delivered.</param>
    public EventSequencer(long lastDelivered = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastDelivered);
        LastDelivered = lastDelivered;
    }

    /// <summary>Highest seq delivered so far; everything at or below it has been delivered once.</summary>
    public long LastDelivered { get; private set; }

    /// <summary>Events dropped because their seq was already delivered or already waiting.</summary>
    public long DuplicatesDropped { get; private set; }

    /// <summary>Events waiting behind a gap.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>The seq the stream is waiting for when events wait behind a gap, otherwise null.</summary>
    public long? MissingSeq => _pending.Count == 0 ? null : LastDelivered + 1;

    /// <summary>Seqs given up on by <see cref="SkipTo"/> because the server no longer had them.</summary>
    public long SeqsSkipped { get; private set; }

    /// <summary>
    /// Gives up waiting for every seq up to <paramref name="seq"/> (the server answered a resume without them) and
    /// returns what is now deliverable. Counted in <see cref="SeqsSkipped"/> so that such a loss is visible.
    /// </summary>
    public IReadOnlyList<SessionEventDto> SkipTo(long seq)
    {
        List<SessionEventDto>? ready = null;
        if (seq > LastDelivered)
        {
            for (var s = LastDelivered + 1; s <= seq; s++)
            {
                if (_pending.Remove(s, out var waiting))
                {
                    (ready ??= []).Add(waiting);
                }
                else
                {
                    SeqsSkipped++;
                }
            }

            LastDelivered = seq;
        }

        Drain(ref ready);
        return ready ?? (IReadOnlyList<SessionEventDto>)[];
    }

    /// <summary>Accepts one event and returns the events that are now deliverable, in order (often none or one).</summary>
    public IReadOnlyList<SessionEventDto> Accept(SessionEventDto item)
    {
        ArgumentNullException.ThrowIfNull(item);
        List<SessionEventDto>? ready = null;
        Add(item, ref ready);
        Drain(ref ready);
        return ready ?? (IReadOnlyList<SessionEventDto>)[];
    }

    /// <summary>Accepts a batch (e.g. a join result) and returns what is now deliverable, in order.</summary>
    public IReadOnlyList<SessionEventDto> AcceptRange(IEnumerable<SessionEventDto> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        List<SessionEventDto>? ready = null;
        foreach (var item in items)
        {
            Add(item, ref ready);
        }

        Drain(ref ready);
        return ready ?? (IReadOnlyList<SessionEventDto>)[];
    }

    private void Add(SessionEventDto item, ref List<SessionEventDto>? ready)
    {
        if (item.Seq <= LastDelivered || !_pending.TryAdd(item.Seq, item))
        {
            DuplicatesDropped++;
            return;
        }

        // Fast path keeps the common in-order case free of dictionary churn.
        if (item.Seq == LastDelivered + 1 && _pending.Count == 1)
        {
            _pending.Remove(item.Seq);
            LastDelivered = item.Seq;
            (ready ??= []).Add(item);
        }
    }

    private void Drain(ref List<SessionEventDto>? ready)
    {
        while (_pending.Remove(LastDelivered + 1, out var next))
        {
            LastDelivered = next.Seq;
            (ready ??= []).Add(next);
        }
    }
}

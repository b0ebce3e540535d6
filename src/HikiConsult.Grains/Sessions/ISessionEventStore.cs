using System.Text.Json;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// The append-only log of every session's events, paged by seq. The session grain is the only writer of a
/// session's log; everything else reads. Implementations must make an appended event durable before
/// <see cref="AppendAsync"/> completes, and must enforce (session, seq) uniqueness themselves, so that a second
/// writer can never create a gap or overwrite an event. (session, sender, clientMsgId) uniqueness is the
/// grain's: it knows every clientMsgId of the log up to its last seq, and an append after a log that moved on
/// without it finds its seq taken (see <see cref="ConsultationSessionGrain"/>).
/// </summary>
public interface ISessionEventStore
{
    /// <summary>The highest seq stored for the session, 0 when it has none.</summary>
    Task<long> GetLastSeqAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Stores one event. See <see cref="AppendOutcome"/> for what can happen besides success.</summary>
    Task<AppendOutcome> AppendAsync(StoredSessionEvent sessionEvent, CancellationToken cancellationToken = default);

    /// <summary>The ack of an event stored earlier by this sender with this clientMsgId, if any.</summary>
    Task<SendAck?> FindByClientMsgIdAsync(string sessionId, string senderId, string clientMsgId, CancellationToken cancellationToken = default);

    /// <summary>Every (sender, clientMsgId) stored for the session, in no particular order.</summary>
    Task<IReadOnlyList<SentMessageKey>> ReadClientMsgIdsAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Events with seq greater than <paramref name="afterSeq"/>, in seq order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SessionEventDto>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The most recent <c>system</c> event with this action (see <see cref="SystemEvents"/>), if any; used to
    /// reconcile a grain's state with its log after a crash between the two writes.
    /// </summary>
    Task<SessionEventDto?> FindLastSystemEventAsync(string sessionId, string action, CancellationToken cancellationToken = default);
}

/// <summary>One event as it is written. <see cref="Body"/> is the validated, normalised body.</summary>
public sealed record StoredSessionEvent(
    string SessionId,
    long Seq,
    DateTimeOffset At,
    SenderDto Sender,
    string Kind,
    JsonElement Body,
    string? ClientMsgId)
{
    /// <summary>The body as stored: its JSON text, exactly as normalised.</summary>
    public string BodyJson => Body.GetRawText();
}

/// <summary>Who sent a message under which clientMsgId: what makes a resend recognisable.</summary>
public readonly record struct SentMessageKey(string SenderId, string ClientMsgId);

/// <summary>Result of an append.</summary>
public abstract record AppendOutcome
{
    private AppendOutcome() { }

    /// <summary>Stored and durable.</summary>
    public sealed record Appended : AppendOutcome;

    /// <summary>The seq is taken (the log moved on without this writer); nothing was written.</summary>
    public sealed record SeqTaken : AppendOutcome;

    public static readonly AppendOutcome Success = new Appended();
    public static readonly AppendOutcome SeqConflict = new SeqTaken();
}

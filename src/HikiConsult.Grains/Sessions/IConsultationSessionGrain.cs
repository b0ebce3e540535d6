using Orleans;
using Orleans.Concurrency;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// One consultation session (key: session id): the state machine
/// <c>scheduled → waiting → active → ended</c> (or <c>cancelled</c>, <c>noShow</c>), its participants with
/// presence, and the single writer of its event log. Callers (the hubs, the REST API) have checked access;
/// the grain checks everything about the session itself.
/// </summary>
[Alias("hc.IConsultationSessionGrain")]
public interface IConsultationSessionGrain : IGrainWithStringKey
{
    Task<SessionDto> Create(NewSession session);

    /// <summary>The session, or null when there is no such session.</summary>
    [ReadOnly]
    Task<SessionDto?> Get();

    /// <summary>The session with its closing note, for the clinic's records; null when there is no such session.</summary>
    [ReadOnly]
    Task<SessionRecord?> GetRecord();

    /// <summary>
    /// Adds a connection of a participant (the first one makes the participant present and is logged), subscribes
    /// the node's observer, and returns every event with seq &gt; <paramref name="afterSeq"/>. On a closed
    /// session it only returns the history.
    /// </summary>
    Task<JoinSessionResult> Join(SenderDto participant, string connectionId, long afterSeq, ISessionObserver? observer);

    /// <summary>Validates, stores, broadcasts and acknowledges one event; idempotent by (sender, clientMsgId).</summary>
    Task<SendAck> Send(SenderDto sender, SendRequest message);

    /// <summary>Removes a connection; the last one of a participant makes it absent (logged).</summary>
    Task Leave(string participantId, string connectionId);

    /// <summary>Ends the session: <c>ended</c>, or <c>noShow</c> when the client side never joined.</summary>
    Task<SessionStateDto> End(SenderDto by, string? note);

    /// <summary>Cancels a session that has not become active.</summary>
    Task<SessionDto> Cancel(SenderDto by);

    /// <summary>
    /// Subscribes or renews a node's observer (a new activation knows none until they renew); returns the last seq,
    /// so the node reads from the log what it missed meanwhile.
    /// </summary>
    Task<long> Subscribe(ISessionObserver observer);

    Task Unsubscribe(ISessionObserver observer);

    /// <summary>
    /// Erasure of the session's client: deletes the state row and ends the activation (its log is deleted by the
    /// caller); the session is unknown from then on.
    /// </summary>
    Task Erase();
}

/// <summary>What is needed to create a session.</summary>
[GenerateSerializer, Immutable, Alias("hc.NewSession")]
public sealed record NewSession(string ClientId, DateTimeOffset? ScheduledAt, bool FamilyOnly, string CreatedBy);

/// <summary>A session with the fields kept for the clinic only.</summary>
[GenerateSerializer, Immutable, Alias("hc.SessionRecord")]
public sealed record SessionRecord(SessionDto Session, string? ClosingNote, string? ClosedBy);

/// <summary>
/// Timing of observer subscriptions: nodes renew well within the expiry. The renewal is also how a new activation
/// (after its silo was lost) learns of the nodes' observers, so it is short.
/// </summary>
public static class SessionObserverTiming
{
    public static readonly TimeSpan RenewPeriod = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);
}

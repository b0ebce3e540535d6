using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Durable state of <see cref="ConsultationSessionGrain"/>: the state machine and who took part. The events are
/// not here (they are in <see cref="ISessionEventStore"/>), nor is the last seq (read from the log on activation,
/// so the log is the only truth about it), nor presence (connections die with the node).
/// </summary>
public sealed record ConsultationSessionState
{
    public bool Created { get; init; }
    public string ClientId { get; init; } = "";
    public string State { get; init; } = SessionStates.Scheduled;
    public bool FamilyOnly { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? EndedAt { get; init; }
    public string? ClosedBy { get; init; }
    /// <summary>Encrypted (<see cref="Protection.IClinicalDataProtector"/>): the state row is plain JSON otherwise.</summary>
    public string? ClosingNote { get; init; }

    /// <summary>True once a client or family device has joined (decides <c>ended</c> versus <c>noShow</c>).</summary>
    public bool ClientSideJoined { get; init; }

    public IReadOnlyList<SenderDto> Participants { get; init; } = [];
}

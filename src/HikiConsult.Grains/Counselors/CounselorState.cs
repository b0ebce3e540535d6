namespace HikiConsult.Grains.Counselors;

/// <summary>Durable state of <see cref="CounselorGrain"/>. Presence is not durable: connections die with the node.</summary>
public sealed record CounselorState
{
    public IReadOnlyList<string> Caseload { get; init; } = [];
    public IReadOnlyList<string> OpenSessionIds { get; init; } = [];
}

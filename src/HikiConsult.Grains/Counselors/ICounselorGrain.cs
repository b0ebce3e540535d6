using Orleans;
using Orleans.Concurrency;

namespace HikiConsult.Grains.Counselors;

/// <summary>
/// One counselor or supervisor (key: user id): caseload, presence (open connections to the counselor hub)
/// and the sessions open now that the counselor has joined.
/// </summary>
[Alias("hc.ICounselorGrain")]
public interface ICounselorGrain : IGrainWithStringKey
{
    Task AddToCaseload(string clientId);

    /// <summary>Erasure of a client: its id leaves the caseload.</summary>
    Task RemoveFromCaseload(string clientId);

    [ReadOnly]
    Task<IReadOnlyList<string>> GetCaseload();

    [ReadOnly]
    Task<CounselorSummary> GetSummary();

    Task Connected(string connectionId);

    Task Disconnected(string connectionId);

    Task SessionJoined(string sessionId);

    Task SessionClosed(string sessionId);
}

/// <summary>A counselor at a glance.</summary>
[GenerateSerializer, Immutable, Alias("hc.CounselorSummary")]
public sealed record CounselorSummary(string CounselorId, IReadOnlyList<string> Caseload, bool Present, IReadOnlyList<string> OpenSessionIds);

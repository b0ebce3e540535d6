namespace HikiConsult.LoadTest.Load;

/// <summary>One session's two parties: the counselor's and the device's bearer tokens (null against the bare relay).</summary>
public sealed record SessionPair(string SessionId, string? CounselorToken, string? DeviceToken);

/// <summary>A server to load and the sessions provisioned on it; <paramref name="DetectsRisk"/>: it raises risk alerts.</summary>
public sealed record LoadTarget(string Name, Uri BaseAddress, IReadOnlyList<SessionPair> Sessions, bool DetectsRisk = false);

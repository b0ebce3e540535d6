namespace HikiConsult.Server.Clients;

/// <summary>Assigns a counselor to a client (supervisors).</summary>
public sealed record AssignCounselorRequest(string UserId);

/// <summary>Records a consent given by the client (or a guardian), as told to the counselor.</summary>
public sealed record RecordConsentRequest(string Scope);

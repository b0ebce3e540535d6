using System.Text.Json.Serialization;
using HikiConsult.Domain.Kato;

namespace HikiConsult.Domain.Engagement;

/// <summary>
/// Something in a client's session history that the analytics fold in. Times are instants; local hours and days
/// come from the client's IANA time zone held in the state.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SessionAttended), "sessionAttended")]
[JsonDerivedType(typeof(SessionCancelled), "sessionCancelled")]
[JsonDerivedType(typeof(SessionNoShow), "sessionNoShow")]
[JsonDerivedType(typeof(ClientMessageSent), "clientMessage")]
[JsonDerivedType(typeof(CounselorMessageSent), "counselorMessage")]
[JsonDerivedType(typeof(AssessmentScored), "assessmentScored")]
[JsonDerivedType(typeof(KatoStatusRecorded), "katoStatusRecorded")]
[JsonDerivedType(typeof(ClientTimeZoneChanged), "timeZoneChanged")]
public abstract record EngagementEvent(DateTimeOffset At);

/// <summary>The client took part in a scheduled session.</summary>
public sealed record SessionAttended(string SessionId, DateTimeOffset At) : EngagementEvent(At);

/// <summary>A scheduled session was cancelled in advance (by either side). Neither breaks nor extends a no-show streak.</summary>
public sealed record SessionCancelled(string SessionId, DateTimeOffset At) : EngagementEvent(At);

/// <summary>The client did not come to a scheduled session.</summary>
public sealed record SessionNoShow(string SessionId, DateTimeOffset At) : EngagementEvent(At);

/// <summary>A message from the client (not family), in a session or between sessions. Never carries the body.</summary>
public sealed record ClientMessageSent(string? SessionId, DateTimeOffset At) : EngagementEvent(At);

/// <summary>A message from a counselor to the client.</summary>
public sealed record CounselorMessageSent(string? SessionId, DateTimeOffset At) : EngagementEvent(At);

/// <summary>A scored assessment (total null for level-scored instruments, whose level is in <see cref="Band"/>).</summary>
public sealed record AssessmentScored(string Instrument, int? Total, string? Band, int? Cutoff, DateTimeOffset At) : EngagementEvent(At);

/// <summary>A Kato 2020 classification was recorded.</summary>
public sealed record KatoStatusRecorded(KatoStatus Status, KatoSeverity? Severity, DateTimeOffset At) : EngagementEvent(At);

/// <summary>The client's time zone changed (IANA id, e.g. "Asia/Tokyo"). Applies to later events.</summary>
public sealed record ClientTimeZoneChanged(string TimeZoneId, DateTimeOffset At) : EngagementEvent(At);

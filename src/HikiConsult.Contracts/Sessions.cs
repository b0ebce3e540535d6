using System.Text.Json;
using Orleans;

namespace HikiConsult.Contracts;

[GenerateSerializer, Immutable, Alias("hc.CreateSessionRequest")]
public sealed record CreateSessionRequest(string ClientId, DateTimeOffset? ScheduledAt, bool FamilyOnly = false);

[GenerateSerializer, Immutable, Alias("hc.ParticipantDto")]
public sealed record ParticipantDto(string Id, string Role, string DisplayName, bool Present);

[GenerateSerializer, Immutable, Alias("hc.SessionDto")]
public sealed record SessionDto(
    string Id,
    string ClientId,
    string State,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    bool FamilyOnly,
    IReadOnlyList<ParticipantDto> Participants,
    long LastSeq);

[GenerateSerializer, Immutable, Alias("hc.SenderDto")]
public sealed record SenderDto(string Id, string Role, string DisplayName);

/// <summary>One entry in a session's event log; also the payload of the hub's SessionEvent push.</summary>
[GenerateSerializer, Immutable, Alias("hc.SessionEventDto")]
public sealed record SessionEventDto(string SessionId, long Seq, DateTimeOffset At, SenderDto Sender, string Kind, JsonElement Body);

[GenerateSerializer, Immutable, Alias("hc.EventsPage")]
public sealed record EventsPage(IReadOnlyList<SessionEventDto> Events, long NextAfterSeq);

/// <summary>Payload of the hub's SessionState push.</summary>
[GenerateSerializer, Immutable, Alias("hc.SessionStateDto")]
public sealed record SessionStateDto(string SessionId, string State, IReadOnlyList<ParticipantDto> Participants);

[GenerateSerializer, Immutable, Alias("hc.JoinSessionResult")]
public sealed record JoinSessionResult(
    string SessionId,
    string ClientId,
    string State,
    IReadOnlyList<ParticipantDto> Participants,
    IReadOnlyList<SessionEventDto> Events);

[GenerateSerializer, Immutable, Alias("hc.SendRequest")]
public sealed record SendRequest(string ClientMsgId, string Kind, JsonElement Body);

[GenerateSerializer, Immutable, Alias("hc.SendAck")]
public sealed record SendAck(long Seq, DateTimeOffset At, bool Duplicate);

public static class SessionStates
{
    public const string Scheduled = "scheduled";
    public const string Waiting = "waiting";
    public const string Active = "active";
    public const string Ended = "ended";
    public const string Cancelled = "cancelled";
    public const string NoShow = "noShow";

    /// <summary>Scheduled, waiting or active: a session that can still be joined.</summary>
    public static bool IsOpen(string state) => state is Scheduled or Waiting or Active;
}

public static class EventKinds
{
    public const string Text = "text";
    public const string Speak = "speak";
    public const string Expression = "expression";
    public const string Gesture = "gesture";
    public const string Gaze = "gaze";
    public const string Signal = "signal";
    public const string System = "system";

    /// <summary>
    /// Counselor → device: a request to fill in a self-report, body <c>{instrument, requestId}</c>. The device posts the
    /// answers to <c>POST /api/clients/{id}/assessments</c> and then sends <c>signal {name: "assessment", value: requestId}</c>.
    /// </summary>
    public const string Assessment = "assessment";
}

/// <summary>Avatar vocabulary (VRM 1.0 expression presets; the documented gesture list).</summary>
public static class AvatarVocabulary
{
    public static readonly IReadOnlyList<string> Expressions = ["happy", "angry", "sad", "relaxed", "surprised", "neutral"];

    public static readonly IReadOnlyList<string> Gestures = ["nod", "wave", "bow", "tilt", "shake", "think", "cheer"];

    public static readonly IReadOnlyList<string> GazeTargets = ["client", "away", "up", "down", "left", "right"];

    /// <summary>
    /// Device signals. "profile": the client's chosen nickname and look (value: JSON text); "assessment": a requested
    /// self-report was submitted (value: the request id).
    /// </summary>
    public static readonly IReadOnlyList<string> Signals = ["presence", "reaction", "touch", "emotion", "profile", "assessment"];
}

/// <summary>Hub method names, so clients and server agree.</summary>
public static class HubMethods
{
    public const string JoinSession = "JoinSession";
    public const string Send = "Send";
    public const string LeaveSession = "LeaveSession";
    public const string EndSession = "EndSession";

    public const string SessionEvent = "SessionEvent";
    public const string SessionState = "SessionState";
}

public static class HubPaths
{
    public const string Counselor = "/hubs/counselor";
    public const string Avatar = "/hubs/avatar";
}

using HikiConsult.Contracts;

namespace HikiConsult.Client.Sessions;

/// <summary>The message kinds of the protocol as typed calls (bodies as documented in docs/protocol.md).</summary>
public static class SessionConnectionExtensions
{
    public static Task<SendAck> SendTextAsync(this SessionConnection connection, string text, CancellationToken cancellationToken = default) =>
        connection.SendAsync(EventKinds.Text, new { text }, cancellationToken);

    /// <summary>Counselor: the avatar or robot says <paramref name="text"/>.</summary>
    public static Task<SendAck> SpeakAsync(this SessionConnection connection, string text, string? voice = null, CancellationToken cancellationToken = default) =>
        voice is null
            ? connection.SendAsync(EventKinds.Speak, new { text }, cancellationToken)
            : connection.SendAsync(EventKinds.Speak, new { text, voice }, cancellationToken);

    /// <summary>Counselor: a VRM 1.0 expression preset (see <see cref="AvatarVocabulary.Expressions"/>) at weight 0..1.</summary>
    public static Task<SendAck> ExpressionAsync(this SessionConnection connection, string name, double weight = 1.0, CancellationToken cancellationToken = default) =>
        connection.SendAsync(EventKinds.Expression, new { name, weight }, cancellationToken);

    /// <summary>Counselor: a gesture from <see cref="AvatarVocabulary.Gestures"/>.</summary>
    public static Task<SendAck> GestureAsync(this SessionConnection connection, string name, CancellationToken cancellationToken = default) =>
        connection.SendAsync(EventKinds.Gesture, new { name }, cancellationToken);

    /// <summary>Counselor: where the avatar looks (see <see cref="AvatarVocabulary.GazeTargets"/>).</summary>
    public static Task<SendAck> GazeAsync(this SessionConnection connection, string target, CancellationToken cancellationToken = default) =>
        connection.SendAsync(EventKinds.Gaze, new { target }, cancellationToken);

    /// <summary>Device: a signal such as presence, reaction, touch or an emotion estimate (see <see cref="AvatarVocabulary.Signals"/>).</summary>
    public static Task<SendAck> SignalAsync(this SessionConnection connection, string name, object value, CancellationToken cancellationToken = default) =>
        connection.SendAsync(EventKinds.Signal, new { name, value }, cancellationToken);
}

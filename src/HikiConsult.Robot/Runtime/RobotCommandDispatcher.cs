using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Robot.Body;

namespace HikiConsult.Robot.Runtime;

/// <summary>
/// Turns the counselor's session events into calls on an <see cref="IRobotBody"/>. Only staff events move the
/// body; malformed or unknown commands are skipped with a reason rather than guessed at. Speech and gestures that
/// are older than <see cref="MaxActionAge"/> (e.g. recovered after a long outage) are skipped, because acting them
/// out late would confuse the person; expression and gaze are states, so the latest one is still applied.
/// </summary>
public sealed class RobotCommandDispatcher(IRobotBody body, TimeProvider? timeProvider = null)
{
    private static readonly HashSet<string> StaffRoles = new(StringComparer.Ordinal) { Roles.Counselor, Roles.Supervisor };
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public TimeSpan MaxActionAge { get; init; } = TimeSpan.FromSeconds(30);

    public async Task<DispatchOutcome> DispatchAsync(SessionEventDto item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!StaffRoles.Contains(item.Sender.Role))
        {
            return DispatchOutcome.Ignored($"{item.Kind} from {item.Sender.Role}: not a command");
        }

        if (item.Body.ValueKind != JsonValueKind.Object)
        {
            return DispatchOutcome.Ignored($"{item.Kind}: body is not an object");
        }

        var stale = _time.GetUtcNow() - item.At > MaxActionAge;
        switch (item.Kind)
        {
            case EventKinds.Speak:
                if (Text(item.Body, "text") is not { } spoken)
                {
                    return DispatchOutcome.Ignored("speak: no text");
                }

                if (stale)
                {
                    return DispatchOutcome.Ignored("speak: too old to say now");
                }

                await body.SpeakAsync(spoken, Text(item.Body, "voice"), cancellationToken);
                return DispatchOutcome.Done("speak");

            case EventKinds.Gesture:
                if (Text(item.Body, "name") is not { } gesture || !AvatarVocabulary.Gestures.Contains(gesture))
                {
                    return DispatchOutcome.Ignored("gesture: unknown name");
                }

                if (stale)
                {
                    return DispatchOutcome.Ignored("gesture: too old to play now");
                }

                await body.GestureAsync(gesture, cancellationToken);
                return DispatchOutcome.Done($"gesture {gesture}");

            case EventKinds.Expression:
                if (Text(item.Body, "name") is not { } expression || !AvatarVocabulary.Expressions.Contains(expression))
                {
                    return DispatchOutcome.Ignored("expression: unknown preset");
                }

                var weight = item.Body.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetDouble() : 1.0;
                if (double.IsNaN(weight))
                {
                    return DispatchOutcome.Ignored("expression: weight is not a number");
                }

                weight = Math.Clamp(weight, 0, 1);
                await body.ExpressionAsync(expression, weight, cancellationToken);
                return DispatchOutcome.Done($"expression {expression}");

            case EventKinds.Gaze:
                if (Text(item.Body, "target") is not { } target || !AvatarVocabulary.GazeTargets.Contains(target))
                {
                    return DispatchOutcome.Ignored("gaze: unknown target");
                }

                await body.GazeAsync(target, cancellationToken);
                return DispatchOutcome.Done($"gaze {target}");

            case EventKinds.Text:
                if (Text(item.Body, "text") is not { } text)
                {
                    return DispatchOutcome.Ignored("text: empty");
                }

                await body.ShowTextAsync(text, cancellationToken);
                return DispatchOutcome.Done("text shown");

            default:
                return DispatchOutcome.Ignored($"{item.Kind}: nothing for a body to do");
        }
    }

    private static string? Text(JsonElement body, string property) =>
        body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}

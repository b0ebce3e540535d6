using System.Text.Json;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Checks what a participant sends (kind allowed for the role, body shape, limits) and returns the body in
/// normal form. Anything it refuses is never stored. Messages name the rule, never echo the content.
/// </summary>
public static class SessionEventValidator
{
    public const int MaxTextLength = InputLimits.MaxText;
    public const int MaxClientMsgIdLength = InputLimits.MaxClientMsgId;
    public const int MaxVoiceLength = InputLimits.MaxVoice;
    public const int MaxSignalValueLength = InputLimits.MaxSignalValue;
    public const int MaxInstrumentIdLength = InputLimits.MaxInstrumentId;

    /// <summary>Kinds counselors and supervisors may send.</summary>
    public static readonly IReadOnlyList<string> StaffKinds =
        [EventKinds.Text, EventKinds.Speak, EventKinds.Expression, EventKinds.Gesture, EventKinds.Gaze, EventKinds.Assessment];

    /// <summary>Kinds a client's or a family member's device may send.</summary>
    public static readonly IReadOnlyList<string> DeviceKinds = [EventKinds.Text, EventKinds.Signal];

    private static readonly IReadOnlySet<string> KnownKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        EventKinds.Text, EventKinds.Speak, EventKinds.Expression, EventKinds.Gesture, EventKinds.Gaze, EventKinds.Signal, EventKinds.Assessment, EventKinds.System,
    };

    public static IReadOnlyList<string> KindsFor(string role) => role switch
    {
        Roles.Counselor or Roles.Supervisor => StaffKinds,
        Roles.Client or Roles.Family => DeviceKinds,
        _ => [],
    };

    public static void ValidateClientMsgId(string? clientMsgId)
    {
        if (string.IsNullOrWhiteSpace(clientMsgId))
        {
            throw ConsultationRuleException.Invalid("'clientMsgId' is required: a unique id per message, reused only when resending it.");
        }

        if (clientMsgId.Length > MaxClientMsgIdLength)
        {
            throw ConsultationRuleException.Invalid($"'clientMsgId' is longer than {MaxClientMsgIdLength} characters.");
        }

        foreach (var c in clientMsgId)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw ConsultationRuleException.Invalid("'clientMsgId' may not contain spaces or control characters.");
            }
        }

        if (TextRules.Problem(clientMsgId, multiline: false) is { } problem)
        {
            throw ConsultationRuleException.Invalid($"'clientMsgId' {problem}.");
        }
    }

    /// <summary>Validates a body for a sender role; returns its normal form.</summary>
    public static NormalizedBody Normalize(string senderRole, string? kind, JsonElement body)
    {
        if (string.IsNullOrEmpty(kind))
        {
            throw ConsultationRuleException.Invalid("'kind' is required.");
        }

        if (!KnownKinds.Contains(kind))
        {
            throw ConsultationRuleException.Invalid($"Unknown kind '{Clip(kind)}'. Known kinds: {string.Join(", ", KnownKinds.Where(k => k != EventKinds.System))}.");
        }

        var allowed = KindsFor(senderRole);
        if (!allowed.Contains(kind))
        {
            throw ConsultationRuleException.Invalid(allowed.Count == 0
                ? $"The role '{senderRole}' may not send events."
                : $"A sender with role '{senderRole}' may not send '{kind}'. Allowed: {string.Join(", ", allowed)}.");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ConsultationRuleException.Invalid("'body' must be a JSON object.");
        }

        return kind switch
        {
            EventKinds.Text => Text(body),
            EventKinds.Speak => Speak(body),
            EventKinds.Expression => Expression(body),
            EventKinds.Gesture => Named(body, "name", AvatarVocabulary.Gestures, "gesture"),
            EventKinds.Gaze => Named(body, "target", AvatarVocabulary.GazeTargets, "gaze target"),
            EventKinds.Signal => Signal(body),
            EventKinds.Assessment => AssessmentRequest(body),
            _ => throw ConsultationRuleException.Invalid($"Kind '{kind}' cannot be sent."),
        };
    }

    /// <summary>Checks a free text such as a closing note (may be empty).</summary>
    public static string? ValidateNote(string? note, string field)
    {
        if (note is null)
        {
            return null;
        }

        if (note.Length > MaxTextLength)
        {
            throw ConsultationRuleException.Invalid($"'{field}' is longer than {MaxTextLength} characters ({note.Length}).");
        }

        note = TextRules.NormalizeNewlines(note);
        if (TextRules.Problem(note, multiline: true) is { } problem)
        {
            throw ConsultationRuleException.Invalid($"'{field}' {problem}.");
        }

        return TextRules.IsBlank(note) ? null : note;
    }

    private static NormalizedBody Text(JsonElement body)
    {
        var text = RequiredText(body, "text");
        return NormalizedBody.Write(text, static (w, text) => w.WriteString("text", text));
    }

    private static NormalizedBody Speak(JsonElement body)
    {
        var text = RequiredText(body, "text");
        string? voice = null;
        if (body.TryGetProperty("voice", out var v) && v.ValueKind != JsonValueKind.Null)
        {
            if (v.ValueKind != JsonValueKind.String)
            {
                throw ConsultationRuleException.Invalid("'voice' must be a string.");
            }

            voice = ReadString(v, "voice");
            if (voice.Length > MaxVoiceLength)
            {
                throw ConsultationRuleException.Invalid($"'voice' is longer than {MaxVoiceLength} characters.");
            }

            OneLine(voice, "voice");
        }

        return NormalizedBody.Write(w =>
        {
            w.WriteString("text", text);
            if (!string.IsNullOrEmpty(voice))
            {
                w.WriteString("voice", voice);
            }
        });
    }

    private static NormalizedBody Expression(JsonElement body)
    {
        var name = RequiredName(body, "name", AvatarVocabulary.Expressions, "expression");
        var weight = 1.0;
        if (body.TryGetProperty("weight", out var w) && w.ValueKind != JsonValueKind.Null)
        {
            if (w.ValueKind != JsonValueKind.Number || !w.TryGetDouble(out weight) || !double.IsFinite(weight) || weight < 0 || weight > 1)
            {
                throw ConsultationRuleException.Invalid("'weight' must be a number from 0 to 1.");
            }
        }

        return NormalizedBody.Write(x =>
        {
            x.WriteString("name", name);
            x.WriteNumber("weight", weight);
        });
    }

    private static NormalizedBody Named(JsonElement body, string property, IReadOnlyList<string> allowed, string what)
    {
        var value = RequiredName(body, property, allowed, what);
        return NormalizedBody.Write(w => w.WriteString(property, value));
    }

    /// <summary>A request for a self-report: which instrument, and an id the device echoes in its assessment signal.</summary>
    private static NormalizedBody AssessmentRequest(JsonElement body)
    {
        var instrument = RequiredText(body, "instrument");
        if (instrument.Length > MaxInstrumentIdLength || !instrument.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw ConsultationRuleException.Invalid($"'instrument' must be an instrument id (lower-case letters, digits and '-', at most {MaxInstrumentIdLength} characters).");
        }

        var requestId = RequiredText(body, "requestId");
        if (requestId.Length > MaxClientMsgIdLength)
        {
            throw ConsultationRuleException.Invalid($"'requestId' is longer than {MaxClientMsgIdLength} characters.");
        }

        OneLine(requestId, "requestId");

        return NormalizedBody.Write(w =>
        {
            w.WriteString("instrument", instrument);
            w.WriteString("requestId", requestId);
        });
    }

    private static NormalizedBody Signal(JsonElement body)
    {
        var name = RequiredName(body, "name", AvatarVocabulary.Signals, "signal");
        if (!body.TryGetProperty("value", out var value) || value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw ConsultationRuleException.Invalid("'value' is required for a signal (a string, a number or true/false).");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var s = ReadString(value, "value");
                if (s.Length > MaxSignalValueLength)
                {
                    throw ConsultationRuleException.Invalid($"'value' is longer than {MaxSignalValueLength} characters.");
                }

                OneLine(s, "value");

                return NormalizedBody.Write(w => { w.WriteString("name", name); w.WriteString("value", s); });
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var d) || !double.IsFinite(d))
                {
                    throw ConsultationRuleException.Invalid("'value' must be a finite number.");
                }

                return NormalizedBody.Write(w => { w.WriteString("name", name); w.WriteNumber("value", d); });
            case JsonValueKind.True:
            case JsonValueKind.False:
                var b = value.GetBoolean();
                return NormalizedBody.Write(w => { w.WriteString("name", name); w.WriteBoolean("value", b); });
            default:
                throw ConsultationRuleException.Invalid("'value' must be a string, a number or true/false.");
        }
    }

    private static string RequiredText(JsonElement body, string property)
    {
        if (!body.TryGetProperty(property, out var t) || t.ValueKind != JsonValueKind.String)
        {
            throw ConsultationRuleException.Invalid($"'{property}' is required and must be a string.");
        }

        var text = TextRules.NormalizeNewlines(ReadString(t, property));
        if (text.Length > MaxTextLength)
        {
            throw ConsultationRuleException.Invalid($"'{property}' is longer than {MaxTextLength} characters ({text.Length}).");
        }

        // A message may keep its line breaks and tabs; controls would forge or garble the transcript.
        if (TextRules.Problem(text, multiline: true) is { } problem)
        {
            throw ConsultationRuleException.Invalid($"'{property}' {problem}.");
        }

        // Only spaces or zero-width characters: nothing a reader would see.
        if (TextRules.IsBlank(text))
        {
            throw ConsultationRuleException.Invalid($"'{property}' must not be empty.");
        }

        return text;
    }

    /// <summary>The string of a JSON value; a lone surrogate escape (\ud800) is a permanent error, not a server fault.</summary>
    private static string ReadString(JsonElement value, string property)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ConsultationRuleException.Invalid($"'{property}' contains an unpaired surrogate (invalid UTF-16).");
        }
    }

    private static void OneLine(string value, string property)
    {
        if (TextRules.Problem(value, multiline: false) is { } problem)
        {
            throw ConsultationRuleException.Invalid($"'{property}' {problem}.");
        }
    }

    private static string RequiredName(JsonElement body, string property, IReadOnlyList<string> allowed, string what)
    {
        if (!body.TryGetProperty(property, out var n) || n.ValueKind != JsonValueKind.String)
        {
            throw ConsultationRuleException.Invalid($"'{property}' is required and must be a string.");
        }

        var name = ReadString(n, property);
        if (!allowed.Contains(name))
        {
            throw ConsultationRuleException.Invalid($"Unknown {what} '{Clip(name)}'. Known: {string.Join(", ", allowed)}.");
        }

        return name;
    }

    // Names are not message content, but a hostile client could put anything there: echo only a short prefix.
    private static string Clip(string value)
    {
        var clipped = value.Length <= 32 ? value : value[..32] + "…";
        return TextRules.Problem(clipped, multiline: false) is null ? clipped : "(unprintable)";
    }
}

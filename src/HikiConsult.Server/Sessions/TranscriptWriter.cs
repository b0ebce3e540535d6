using System.Globalization;
using System.Text;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;

namespace HikiConsult.Server.Sessions;

/// <summary>Renders a session's log as plain text for the clinic's records: time, who, what; then the closing note.</summary>
internal static class TranscriptWriter
{
    public static string Write(SessionRecord record, ClientDto? client, IReadOnlyList<SessionEventDto> events, bool includeClosingNote)
    {
        var session = record.Session;
        var zone = FindZone(client?.TimeZone);
        var text = new StringBuilder();
        text.AppendLine("HikiConsult session transcript");
        text.AppendLine(CultureInfo.InvariantCulture, $"Session: {session.Id}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Client: {session.ClientId}{(client is null ? "" : $" ({TranscriptText.OneLine(client.Alias)})")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"State: {session.State}{(session.FamilyOnly ? " (family session)" : "")}");
        if (session.ScheduledAt is { } scheduled)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Scheduled: {Format(scheduled, zone)}");
        }

        if (session.EndedAt is { } ended)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Closed: {Format(ended, zone)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Times: {zone.Id}");
        text.AppendLine();

        foreach (var e in events)
        {
            text.Append(Format(e.At, zone)).Append("  #").Append(e.Seq.ToString(CultureInfo.InvariantCulture)).Append("  ");
            text.AppendLine(Describe(e));
        }

        if (includeClosingNote)
        {
            text.AppendLine();
            text.AppendLine(record.ClosingNote is null
                ? "Closing note: none"
                : $"Closing note{(record.ClosedBy is null ? "" : $" (by {record.ClosedBy})")}:");
            if (record.ClosingNote is not null)
            {
                // Every line of the note marked, as a message's further lines are.
                text.Append(TranscriptText.Continuation).AppendLine(TranscriptText.MultiLine(record.ClosingNote));
            }
        }

        return text.ToString();
    }

    private static string Describe(SessionEventDto e)
    {
        var who = $"{TranscriptText.OneLine(e.Sender.DisplayName)} ({TranscriptText.OneLine(e.Sender.Role)})";
        var body = e.Body;
        return e.Kind switch
        {
            EventKinds.Text => $"{who}: {TranscriptText.MultiLine(Str(body, "text"))}",
            EventKinds.Speak => $"{who} via avatar says: {TranscriptText.MultiLine(Str(body, "text"))}",
            EventKinds.Expression => $"{who} sets expression {Line(body, "name")} ({Num(body, "weight")})",
            EventKinds.Gesture => $"{who} gestures {Line(body, "name")}",
            EventKinds.Gaze => $"{who} gazes {Line(body, "target")}",
            EventKinds.Signal => $"{who} signals {Line(body, "name")} = {TranscriptText.OneLine(Raw(body, "value"))}",
            EventKinds.System => System(body),
            _ => $"{who}: {TranscriptText.OneLine(e.Kind)}",
        };
    }

    private static string System(JsonElement body)
    {
        var action = Str(body, "action");
        if (action is SystemEvents.Joined or SystemEvents.Left && body.TryGetProperty("participant", out var p))
        {
            return $"[{action}] {TranscriptText.OneLine(Str(p, "displayName"))} ({Str(p, "role")})";
        }

        return action == SystemEvents.State ? $"[state] {Str(body, "state")}" : $"[{action}]";
    }

    private static string Str(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    /// <summary>Names and values that are not message text stay on their line.</summary>
    private static string Line(JsonElement body, string property) => TranscriptText.OneLine(Str(body, property));

    private static string Num(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble().ToString("0.##", CultureInfo.InvariantCulture)
            : "";

    private static string Raw(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "";

    private static string Format(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static TimeZoneInfo FindZone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

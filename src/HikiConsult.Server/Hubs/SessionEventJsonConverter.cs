using System.Text.Json;
using System.Text.Json.Serialization;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// Writes the <c>SessionEvent</c> push by hand, field for field as the default serializer writes it (camelCase,
/// the body's JSON as stored). The default path pushes a frame for the nested sender and so allocates its frame
/// stack (about 0.4 KB) on each of the two hubs for every relayed message. The server only writes this type;
/// reading stays with the default converter.
/// </summary>
internal sealed class SessionEventJsonConverter : JsonConverter<SessionEventDto>
{
    private static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("sessionId");
    private static readonly JsonEncodedText Seq = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText At = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText Sender = JsonEncodedText.Encode("sender");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText DisplayName = JsonEncodedText.Encode("displayName");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText Body = JsonEncodedText.Encode("body");

    public override SessionEventDto Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Session events are only written by the server.");

    public override void Write(Utf8JsonWriter writer, SessionEventDto value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(SessionId, value.SessionId);
        writer.WriteNumber(Seq, value.Seq);
        writer.WriteString(At, value.At);
        writer.WriteStartObject(Sender);
        writer.WriteString(Id, value.Sender.Id);
        writer.WriteString(Role, value.Sender.Role);
        writer.WriteString(DisplayName, value.Sender.DisplayName);
        writer.WriteEndObject();
        writer.WriteString(Kind, value.Kind);
        writer.WritePropertyName(Body);
        value.Body.WriteTo(writer);
        writer.WriteEndObject();
    }
}

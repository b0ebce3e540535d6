using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HikiConsult.Grains.Sessions;

/// <summary>An event body as it is stored and pushed: only the known fields, in a fixed order.</summary>
public sealed record NormalizedBody(JsonElement Element, string Json)
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Bodies are stored and sent as JSON, never embedded in HTML; keep non-ASCII text readable and compact.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static NormalizedBody Write(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new NormalizedBody(document.RootElement.Clone(), json);
    }
}

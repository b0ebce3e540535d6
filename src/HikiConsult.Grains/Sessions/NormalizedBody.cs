using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HikiConsult.Grains.Sessions;

/// <summary>An event body as it is stored and pushed: only the known fields, in a fixed order.</summary>
public sealed record NormalizedBody(JsonElement Element)
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Bodies are stored and sent as JSON, never embedded in HTML; keep non-ASCII text readable and compact.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Every message is written here once: the buffer and writer are kept per thread and reset, not allocated.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _scratch;

    /// <summary>The body's JSON text as stored (the element's own UTF-8, decoded on demand).</summary>
    public string Json => Element.GetRawText();

    public static NormalizedBody Write(Action<Utf8JsonWriter> writeProperties) =>
        Write(writeProperties, static (writer, writeProperties) => writeProperties(writer));

    /// <summary>As <see cref="Write(Action{Utf8JsonWriter})"/>; a static writer with its state costs no closure.</summary>
    public static NormalizedBody Write<TState>(TState state, Action<Utf8JsonWriter, TState> writeProperties)
    {
        var (buffer, writer) = _scratch ??= NewScratch();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writeProperties(writer, state);
        writer.WriteEndObject();
        writer.Flush();

        // The element owns a copy of the bytes, so the scratch buffer can be reused at once.
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return new NormalizedBody(JsonElement.ParseValue(ref reader));
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }
}

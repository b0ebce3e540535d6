using System.Text.Encodings.Web;
using System.Text.Json;
using Orleans.Serialization;

namespace HikiConsult.Grains;

/// <summary>
/// What every silo and client of this product adds to Orleans' serializer. Contract, grain and domain types carry
/// <c>[GenerateSerializer]</c>; event bodies are <see cref="JsonElement"/> (validated JSON kept as the client sent
/// it, after normalisation), which Orleans has no codec for, so they go through Orleans' System.Text.Json codec.
/// A body is written as stored (non-ASCII text unescaped), so a push from another silo carries the same bytes. Within
/// a silo nothing is serialized: the records are <c>[Immutable]</c>, so a call passes them by reference.
/// </summary>
public static class GrainSerialization
{
    public static ISerializerBuilder AddHikiConsultSerialization(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(
            static type => type == typeof(JsonElement),
            static type => type == typeof(JsonElement),
            static options => options.Configure(o => o.WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}

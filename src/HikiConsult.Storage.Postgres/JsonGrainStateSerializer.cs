using System.Text.Json;
using Orleans.Storage;

namespace HikiConsult.Storage.Postgres;

/// <summary>
/// Grain state as System.Text.Json with web defaults and no .NET type names: the same bytes the embedded SQLite grain
/// storage writes, so a state type renamed later still reads its rows.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace HikiConsult.LoadTest.Load;

/// <summary>Body of a load message: an ordinary text event.</summary>
public sealed record TextBody(string Text);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TextBody))]
internal sealed partial class LoadJson : JsonSerializerContext;

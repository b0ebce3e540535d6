using System.Text.Json;
using System.Text.Json.Serialization;

namespace HikiConsult.Domain;

/// <summary>Writes enums as camelCase strings ("preHikikomori"), the form used on the wire and in stored state.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HikiConsult.Server.Validation;

/// <summary>
/// Checks every string and list of a request body as it is read (a JSON type-info modifier, so no endpoint can
/// forget it): length, count and characters, by field name (<see cref="FieldLimits"/>). A refused body throws
/// <see cref="InputRejectedException"/> before any handler runs.
/// </summary>
internal static class RequestFieldRules
{
    public static void Apply(JsonTypeInfo typeInfo)
    {
        // Only our request and response records; framework types keep their own behaviour.
        if (typeInfo.Kind != JsonTypeInfoKind.Object || typeInfo.Type.Namespace?.StartsWith("HikiConsult", StringComparison.Ordinal) != true)
        {
            return;
        }

        var checks = new List<(string Name, Func<object, object?> Get)>();
        foreach (var property in typeInfo.Properties)
        {
            var type = property.PropertyType;
            if ((type == typeof(string) || type == typeof(JsonElement) || type == typeof(JsonElement?) || typeof(IEnumerable<string>).IsAssignableFrom(type))
                && property.AttributeProvider is System.Reflection.PropertyInfo info && info.GetMethod is { } getter)
            {
                checks.Add((property.Name, obj => getter.Invoke(obj, null)));
            }
        }

        if (checks.Count == 0)
        {
            return;
        }

        var previous = typeInfo.OnDeserialized;
        typeInfo.OnDeserialized = obj =>
        {
            foreach (var (name, get) in checks)
            {
                Check(name, get(obj));
            }

            previous?.Invoke(obj);
        };
    }

    public static void Check(string field, object? value)
    {
        switch (value)
        {
            case string s:
                CheckString(field, s);
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() > FieldLimits.MaxCount(field):
                throw new InputRejectedException(field, $"has more than {FieldLimits.MaxCount(field)} items");
            case IEnumerable list and not string:
                var count = 0;
                foreach (var item in list)
                {
                    if (++count > FieldLimits.MaxCount(field))
                    {
                        throw new InputRejectedException(field, $"has more than {FieldLimits.MaxCount(field)} items");
                    }

                    if (item is string text)
                    {
                        CheckString(field, text);
                    }
                }

                break;
        }
    }

    private static void CheckString(string field, string value)
    {
        var max = FieldLimits.MaxLength(field);
        if (value.Length > max)
        {
            throw new InputRejectedException(field, $"is longer than {max} characters ({value.Length})");
        }

        if (FieldLimits.ChecksCharacters(field) && Contracts.TextRules.Problem(value, multiline: false) is { } problem)
        {
            throw new InputRejectedException(field, problem);
        }
    }
}

using System.Buffers;
using System.Reflection;
using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// The JSON hub protocol, except that a call whose arguments cannot be bound (wrong count, wrong JSON type, a lone
/// surrogate) fails with a <see cref="HubException"/> naming the argument, instead of SignalR's bare "Failed to invoke".
/// SignalR passes a HubException's message to the caller; the input is never echoed.
/// </summary>
internal sealed class NamedArgumentsHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    private static readonly Dictionary<string, string[]> ParameterNames = ReadParameterNames();
    private readonly JsonHubProtocol _inner = new(options);
    private readonly JsonSerializerOptions _payload = options.Value.PayloadSerializerOptions;

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        if (!_inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure)
        {
            var frame = before.Slice(0, before.Length - input.Length);
            if (Explain(frame, failure.Target, binder) is { } reason)
            {
                message = new InvocationBindingFailureMessage(
                    failure.InvocationId, failure.Target, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(new HubException(reason)));
            }
        }

        return true;
    }

    /// <summary>Which argument is at fault and why; null when it cannot be told.</summary>
    private string? Explain(ReadOnlySequence<byte> frame, string target, IInvocationBinder binder)
    {
        try
        {
            var bytes = frame.ToArray();
            var length = bytes.Length > 0 && bytes[^1] == 0x1e ? bytes.Length - 1 : bytes.Length;
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length));
            if (!document.RootElement.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            IReadOnlyList<Type> types;
            try
            {
                types = binder.GetParameterTypes(target);
            }
            catch (Exception)
            {
                return $"Unknown method '{(target.Length <= 32 && TextRules.Problem(target, false) is null ? target : "(unprintable)")}'.";
            }

            var names = ParameterNames.GetValueOrDefault(target) ?? [.. types.Select((_, i) => $"argument {i + 1}")];
            var signature = $"{target}({string.Join(", ", names)})";
            if (arguments.GetArrayLength() != types.Count)
            {
                return $"{signature} takes {types.Count} arguments; {arguments.GetArrayLength()} were sent.";
            }

            var index = 0;
            foreach (var argument in arguments.EnumerateArray())
            {
                var name = index < names.Length ? names[index] : $"argument {index + 1}";
                try
                {
                    argument.Deserialize(types[index], _payload);
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
                {
                    var text = ex.Message + " " + ex.InnerException?.Message;
                    return text.Contains("UTF-16", StringComparison.Ordinal) || text.Contains("surrogate", StringComparison.OrdinalIgnoreCase)
                        ? $"'{name}' of {signature} contains an unpaired surrogate (invalid UTF-16)."
                        : $"'{name}' of {signature} must be {Expected(types[index])}.";
                }

                index++;
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? "a string"
            : type == typeof(long) || type == typeof(int) ? "a whole number"
            : type == typeof(double) ? "a number"
            : type == typeof(bool) ? "true or false"
            : "a JSON object with the documented fields";
    }

    /// <summary>The wire parameters of every hub method (services injected by [FromServices] are not on the wire).</summary>
    private static Dictionary<string, string[]> ReadParameterNames()
    {
        var names = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var hub in new[] { typeof(CounselorHub), typeof(AvatarHub) })
        {
            foreach (var method in hub.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.DeclaringType != typeof(Hub) && m.DeclaringType != typeof(object)))
            {
                names[method.Name] = [.. method.GetParameters()
                    .Where(p => p.GetCustomAttribute<FromServicesAttribute>() is null && p.ParameterType != typeof(CancellationToken))
                    .Select(p => p.Name ?? "?")];
            }
        }

        return names;
    }
}

using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// Bounds and characters of every string a hub method receives, by parameter name, checked before the method runs;
/// a refusal is a <see cref="HubException"/> naming the argument (a message's body is checked by the session's
/// validator, which knows its kind).
/// </summary>
internal static class HubArgumentRules
{
    public static void Check(HubInvocationContext invocation)
    {
        var parameters = invocation.HubMethod.GetParameters();
        var arguments = invocation.HubMethodArguments;
        for (var i = 0; i < arguments.Count && i < parameters.Length; i++)
        {
            var name = parameters[i].Name ?? $"argument {i + 1}";
            switch (arguments[i])
            {
                case string value:
                    CheckString(name, value, MaxLength(name), multiline: name == "note");
                    break;
                case SendRequest message:
                    CheckString("clientMsgId", message.ClientMsgId, InputLimits.MaxClientMsgId, multiline: false);
                    CheckString("kind", message.Kind, InputLimits.MaxKind, multiline: false);
                    break;
            }
        }
    }

    private static int MaxLength(string name) => name switch
    {
        "sessionId" or "alertId" => InputLimits.MaxId,
        "note" => InputLimits.MaxText,
        _ => InputLimits.MaxDefaultString,
    };

    private static void CheckString(string name, string? value, int max, bool multiline)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > max)
        {
            throw new HubException($"'{name}' is longer than {max} characters ({value.Length}).");
        }

        if (TextRules.Problem(multiline ? TextRules.NormalizeNewlines(value) : value, multiline) is { } problem)
        {
            throw new HubException($"'{name}' {problem}.");
        }
    }
}

using Orleans;

namespace HikiConsult.Grains;

/// <summary>What kind of rule a request broke; the server maps it to a status code or a hub error.</summary>
[GenerateSerializer, Alias("hc.SessionRuleKind")]
public enum SessionRuleKind
{
    /// <summary>Unknown, or not visible to the caller (never say which).</summary>
    NotFound,

    /// <summary>Malformed or out-of-range input.</summary>
    InvalidInput,

    /// <summary>The request does not fit the current state (an ended session, a join that is missing).</summary>
    Conflict,
}

/// <summary>
/// A request was refused for a reason the caller may read. The message is meant for people: it names the
/// rule, never message content.
/// </summary>
[GenerateSerializer, Alias("hc.SessionRuleException")]
public sealed class SessionRuleException : Exception
{
    public SessionRuleException(SessionRuleKind kind, string message)
        : base(message) => Kind = kind;

    [Id(0)]
    public SessionRuleKind Kind { get; private set; }

    public static SessionRuleException NotFound(string what) => new(SessionRuleKind.NotFound, $"{what} was not found.");

    public static SessionRuleException Invalid(string message) => new(SessionRuleKind.InvalidInput, message);

    public static SessionRuleException Conflict(string message) => new(SessionRuleKind.Conflict, message);
}

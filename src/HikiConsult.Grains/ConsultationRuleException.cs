using Orleans;

namespace HikiConsult.Grains;

/// <summary>What kind of rule a request broke; the server maps it to a status code or a hub error.</summary>
// The alias keeps its old name: a silo of the previous version still reads it during a rolling upgrade.
[GenerateSerializer, Alias("hc.SessionRuleKind")]
public enum ConsultationRuleKind
{
    /// <summary>Unknown, or not visible to the caller (never say which).</summary>
    NotFound,

    /// <summary>Malformed or out-of-range input.</summary>
    InvalidInput,

    /// <summary>The request does not fit the current state (an ended session, a join that is missing).</summary>
    Conflict,
}

/// <summary>
/// A request to a session, a client or their early consultation record (alerts, clinical records) was refused for a
/// reason the caller may read. The message is meant for people: it names the rule, never message content.
/// </summary>
// The alias keeps its old name: a silo of the previous version still reads it during a rolling upgrade.
[GenerateSerializer, Alias("hc.SessionRuleException")]
public sealed class ConsultationRuleException : Exception
{
    public ConsultationRuleException(ConsultationRuleKind kind, string message)
        : base(message) => Kind = kind;

    [Id(0)]
    public ConsultationRuleKind Kind { get; private set; }

    public static ConsultationRuleException NotFound(string what) => new(ConsultationRuleKind.NotFound, $"{what} was not found.");

    public static ConsultationRuleException Invalid(string message) => new(ConsultationRuleKind.InvalidInput, message);

    public static ConsultationRuleException Conflict(string message) => new(ConsultationRuleKind.Conflict, message);
}

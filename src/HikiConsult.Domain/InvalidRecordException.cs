namespace HikiConsult.Domain;

/// <summary>A record that cannot be used; the message lists every problem with the field named.</summary>
public sealed class InvalidRecordException(string record, IReadOnlyList<string> problems)
    : Exception($"Invalid {record}: {string.Join("; ", problems)}")
{
    public string Record { get; } = record;
    public IReadOnlyList<string> Problems { get; } = problems;
}

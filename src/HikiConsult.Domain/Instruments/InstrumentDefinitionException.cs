namespace HikiConsult.Domain.Instruments;

/// <summary>A definition file that cannot be used; the message names the file and every problem found.</summary>
public sealed class InstrumentDefinitionException(string origin, IReadOnlyList<string> problems)
    : Exception($"Instrument definition '{origin}' is invalid: {string.Join("; ", problems)}")
{
    public string Origin { get; } = origin;
    public IReadOnlyList<string> Problems { get; } = problems;
}

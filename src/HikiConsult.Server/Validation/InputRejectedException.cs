namespace HikiConsult.Server.Validation;

/// <summary>A request field over its bound or with forbidden characters; answered as a 400 naming the field.</summary>
public sealed class InputRejectedException(string field, string problem) : Exception($"'{field}' {problem}.")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}

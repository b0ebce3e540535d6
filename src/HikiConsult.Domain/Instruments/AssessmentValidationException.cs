namespace HikiConsult.Domain.Instruments;

/// <summary>One problem with submitted answers; <see cref="Item"/> is null when it concerns the whole set.</summary>
public sealed record AnswerError(int? Item, string Message)
{
    public override string ToString() => Item is null ? Message : $"item {Item}: {Message}";
}

/// <summary>Answers that cannot be scored. The message lists every problem with the item named.</summary>
public sealed class AssessmentValidationException(string instrument, IReadOnlyList<AnswerError> errors)
    : Exception($"Invalid answers for {instrument}: {string.Join("; ", errors)}")
{
    public string Instrument { get; } = instrument;
    public IReadOnlyList<AnswerError> Errors { get; } = errors;
}

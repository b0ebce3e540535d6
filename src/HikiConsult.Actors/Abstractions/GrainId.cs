namespace HikiConsult.Actors;

/// <summary>
/// The identity of a grain: its grain type (see <see cref="GrainTypeAttribute"/>) and its key as text.
/// Guid keys are held in the "N" format, integer keys in invariant decimal.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}

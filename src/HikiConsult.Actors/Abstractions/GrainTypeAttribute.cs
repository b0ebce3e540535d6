namespace HikiConsult.Actors;

/// <summary>
/// Names a grain class's type, as used in grain ids and storage keys. Without it the type is the class name,
/// lower case, without a trailing "Grain" (ClientGrain → "client"). Set it to keep storage keys stable across renames.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string grainType) : Attribute
{
    public string GrainType { get; } = grainType;
}

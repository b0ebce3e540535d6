namespace HikiConsult.Actors;

/// <summary>Overrides <see cref="Configuration.GrainCollectionOptions.CollectionAge"/> for one grain class.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    public CollectionAgeLimitAttribute() { }

    public CollectionAgeLimitAttribute(double minutes) => Minutes = minutes;

    public double Days { get; init; }
    public double Hours { get; init; }
    public double Minutes { get; init; }

    /// <summary>Never collected while idle (still deactivated on shutdown or on request).</summary>
    public bool AlwaysActive { get; init; }

    public TimeSpan Amount => AlwaysActive ? Timeout.InfiniteTimeSpan : TimeSpan.FromDays(Days) + TimeSpan.FromHours(Hours) + TimeSpan.FromMinutes(Minutes);
}

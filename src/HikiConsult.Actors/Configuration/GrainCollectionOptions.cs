namespace HikiConsult.Actors.Configuration;

/// <summary>Options for idle collection and deactivation.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>An activation idle for this long is deactivated. Default 15 minutes, as in Orleans.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default 1 minute.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one deactivation (pending turns, <c>OnDeactivateAsync</c>) may take. Default 30 seconds.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per grain class overrides of <see cref="CollectionAge"/>, by grain type name.</summary>
    public Dictionary<string, TimeSpan> ClassSpecificCollectionAge { get; } = new(StringComparer.Ordinal);
}

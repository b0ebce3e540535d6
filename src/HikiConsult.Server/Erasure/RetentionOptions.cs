namespace HikiConsult.Server.Erasure;

/// <summary>Configuration section "Retention". Off unless <see cref="ErasureAfterClosedYears"/> is set.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// Erase a client once every session of it has been closed (ended, cancelled, no-show) for this many years; a
    /// client without sessions counts from its creation. Default none: nothing is erased by age.
    /// </summary>
    public int? ErasureAfterClosedYears { get; set; }

    /// <summary>How often the policy looks. Default one day.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromDays(1);
}

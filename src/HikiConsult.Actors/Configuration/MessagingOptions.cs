namespace HikiConsult.Actors.Configuration;

/// <summary>Options for calls between grains.</summary>
public sealed class MessagingOptions
{
    /// <summary>
    /// How long a caller waits for a response before the call fails with <see cref="TimeoutException"/>.
    /// Default 30 seconds, as in Orleans. The request itself is not cancelled.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often calls are checked against <see cref="ResponseTimeout"/>. Default 1 second.</summary>
    public TimeSpan ResponseTimeoutCheckPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

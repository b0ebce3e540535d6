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

    /// <summary>
    /// Whether a call to an idle activation (grain or observer) starts its turn on the caller's thread instead of
    /// waking a thread-pool thread for it. The turn runs exactly as it would on the pool (one at a time, the
    /// activation's synchronization context, a clean execution context) up to its first await; the caller's
    /// <c>Task</c> is returned after that. Default true: each hand-off saved is a thread wake-up saved, which is
    /// most of the cost of a call at moderate load. Turn it off to keep callers and callees on separate threads.
    /// Orleans always queues; code that is correct there is correct with either setting.
    /// </summary>
    public bool InlineTurns { get; set; } = true;
}

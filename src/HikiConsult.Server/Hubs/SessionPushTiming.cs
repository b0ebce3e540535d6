namespace HikiConsult.Server.Hubs;

/// <summary>Timing of the session pushes a node forwards to its connections.</summary>
public static class SessionPushTiming
{
    /// <summary>
    /// How long a connection's stream waits for a push that arrived out of order to be followed by the ones before it,
    /// before it reads them from the log. Short: a late push is rare, and a person waits for it.
    /// </summary>
    public static readonly TimeSpan GapTimeout = TimeSpan.FromMilliseconds(250);
}

namespace HikiConsult.Client.Sessions;

public enum SessionConnectionStatus
{
    /// <summary>Not started yet.</summary>
    Idle,

    /// <summary>Connected and joined: sends go out at once.</summary>
    Ready,

    /// <summary>Connected but not joined to a session yet.</summary>
    Connected,

    /// <summary>The connection was lost; reconnecting and resuming by seq.</summary>
    Reconnecting,

    /// <summary>Stopped for good: disposed, left, or refused by the server.</summary>
    Closed,
}

namespace HikiConsult.Server.Hubs;

/// <summary>Configuration section "Hubs".</summary>
public sealed class HubSettings
{
    public const string SectionName = "Hubs";

    /// <summary>Largest message a client may send, in bytes (a connection that sends more is closed by SignalR).</summary>
    public long MaximumReceiveMessageSize { get; set; } = 64 * 1024;

    /// <summary>Sends per second a connection may keep up.</summary>
    public double SendPerSecond { get; set; } = 20;

    /// <summary>Sends a connection may make at once before <see cref="SendPerSecond"/> applies.</summary>
    public int SendBurst { get; set; } = 40;
}

namespace HikiConsult.Server.Hubs;

/// <summary>
/// Configuration section "Hubs": what one client may send to and hold on the hubs. Named apart from SignalR's own
/// <see cref="Microsoft.AspNetCore.SignalR.HubOptions"/>, which takes <see cref="MaximumReceiveMessageSize"/> from it.
/// </summary>
public sealed class HubLimitsOptions
{
    public const string SectionName = "Hubs";

    /// <summary>Largest message a client may send, in bytes (a connection that sends more is closed by SignalR). Default 65,536.</summary>
    public long MaximumReceiveMessageSize { get; set; } = 64 * 1024;

    /// <summary>Sends per second a principal (device or account, over all its connections) may keep up. Default 20.</summary>
    public double SendPerSecond { get; set; } = 20;

    /// <summary>Sends a principal may make at once before <see cref="SendPerSecond"/> applies. Default 40.</summary>
    public int SendBurst { get; set; } = 40;

    /// <summary>Joins per second a principal may keep up (each join reads history and writes an audit row). Default 2.</summary>
    public double JoinPerSecond { get; set; } = 2;

    /// <summary>Joins a principal may make at once (a console opening its sessions after a reconnect). Default 30.</summary>
    public int JoinBurst { get; set; } = 30;

    /// <summary>Hub connections one principal may hold at once (console tabs, a robot reconnecting). Default 20.</summary>
    public int MaxConnectionsPerPrincipal { get; set; } = 20;
}

using System.Net.WebSockets;

namespace HikiConsult.Client.Transport;

/// <summary>How <see cref="HikiConsultHubConnectionBuilderExtensions.WithHikiConsultUrl(Microsoft.AspNetCore.SignalR.Client.IHubConnectionBuilder, Uri, Action{HubTransportOptions}?)"/> opens a hub's WebSocket.</summary>
public sealed class HubTransportOptions
{
    /// <summary>Returns the bearer token for each (re)connect, so a refreshed token is picked up; null or empty sends none. Default none.</summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>Send the token as <c>access_token</c> in the query (the browsers' convention; works through any WebSocket stack). Default on.</summary>
    public bool SendTokenInQuery { get; set; } = true;

    /// <summary>Send the token as an <c>Authorization: Bearer</c> header (only possible with the built-in <see cref="ClientWebSocket"/>). Default on.</summary>
    public bool SendTokenInHeader { get; set; } = true;

    /// <summary>
    /// Opens the WebSocket for a ws:// or wss:// address that already carries the query. Null uses
    /// <see cref="ClientWebSocket"/>; tests pass TestServer's <c>WebSocketClient.ConnectAsync</c>. Default none.
    /// </summary>
    public Func<Uri, CancellationToken, Task<WebSocket>>? Connect { get; set; }

    /// <summary>Extra settings for the built-in <see cref="ClientWebSocket"/> (ignored with a custom <see cref="Connect"/>). Default none.</summary>
    public Action<ClientWebSocketOptions>? ConfigureClientWebSocket { get; set; }

    /// <summary>
    /// Keep the connection across a short transport drop (SignalR's stateful reconnect). It needs the negotiate
    /// round trip, so it is off by default and ignored with a custom <see cref="Connect"/>, which opens sockets only.
    /// </summary>
    public bool StatefulReconnect { get; set; }
}

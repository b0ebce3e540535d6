using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace HikiConsult.Client.Transport;

/// <summary>How <see cref="WebSocketConnectionFactory"/> opens and runs a hub WebSocket.</summary>
public sealed class WebSocketConnectionOptions
{
    /// <summary>Returns the bearer token for each (re)connect, so a refreshed token is picked up; null or empty sends none.</summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>Send the token as <c>access_token</c> in the query (the browsers' convention; works through any WebSocket stack).</summary>
    public bool SendTokenInQuery { get; set; } = true;

    /// <summary>Send the token as an <c>Authorization: Bearer</c> header (only possible with the built-in <see cref="ClientWebSocket"/>).</summary>
    public bool SendTokenInHeader { get; set; } = true;

    /// <summary>
    /// Opens the WebSocket for a ws:// or wss:// address that already carries the query. Null uses
    /// <see cref="ClientWebSocket"/>; tests pass TestServer's <c>WebSocketClient.ConnectAsync</c>.
    /// </summary>
    public Func<Uri, CancellationToken, Task<WebSocket>>? Connect { get; set; }

    /// <summary>Extra settings for the built-in <see cref="ClientWebSocket"/> (ignored with a custom <see cref="Connect"/>).</summary>
    public Action<ClientWebSocketOptions>? ConfigureClientWebSocket { get; set; }

    /// <summary>Frame type used for outgoing messages: text for the JSON hub protocol, binary for binary protocols.</summary>
    public TransferFormat TransferFormat { get; set; } = TransferFormat.Text;

    /// <summary>How long a graceful close may wait for the peer's close frame before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

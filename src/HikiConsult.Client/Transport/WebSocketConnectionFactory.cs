using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace HikiConsult.Client.Transport;

/// <summary>
/// Opens SignalR connections over a plain WebSocket. The negotiate round trip is skipped: the hub handshake runs
/// directly over the socket, which ASP.NET Core SignalR servers accept for WebSocket requests without a connection id.
/// This replaces the HTTP connection package, which the client needs to do without.
/// </summary>
public sealed class WebSocketConnectionFactory : IConnectionFactory
{
    private readonly WebSocketConnectionOptions _options;

    public WebSocketConnectionFactory(WebSocketConnectionOptions? options = null)
    {
        _options = options ?? new WebSocketConnectionOptions();
    }

    /// <summary>Uses a custom WebSocket opener, e.g. <c>testServer.CreateWebSocketClient().ConnectAsync</c>.</summary>
    public WebSocketConnectionFactory(
        Func<Uri, CancellationToken, Task<WebSocket>> connect,
        Func<CancellationToken, ValueTask<string?>>? accessTokenProvider = null)
        : this(new WebSocketConnectionOptions { Connect = connect, AccessTokenProvider = accessTokenProvider })
    {
        ArgumentNullException.ThrowIfNull(connect);
    }

    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UriEndPoint { Uri: { } hubUri })
        {
            throw new NotSupportedException($"{nameof(WebSocketConnectionFactory)} connects to a {nameof(UriEndPoint)} only, not {endpoint.GetType().Name}.");
        }

        var token = _options.AccessTokenProvider is null ? null : await _options.AccessTokenProvider(cancellationToken).ConfigureAwait(false);
        var socketUri = BuildSocketUri(hubUri, _options.SendTokenInQuery ? token : null);

        WebSocket socket;
        if (_options.Connect is null)
        {
            socket = await ConnectClientWebSocketAsync(socketUri, token, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                socket = await _options.Connect(socketUri, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex) when (RefusalStatus(ex.Message) is { } status)
            {
                // In-memory test servers report a refused upgrade this way.
                throw new HubConnectRefusedException(hubUri, status, ex);
            }
        }

        var messageType = _options.TransferFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        return WebSocketConnectionContext.Start(socket, messageType, _options.CloseTimeout, endpoint);
    }

    /// <summary>http(s) becomes ws(s); the token, when given, is appended as <c>access_token</c>.</summary>
    public static Uri BuildSocketUri(Uri hubUri, string? accessToken)
    {
        ArgumentNullException.ThrowIfNull(hubUri);
        if (!hubUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The hub address must be absolute.", nameof(hubUri));
        }

        var builder = new UriBuilder(hubUri)
        {
            Scheme = hubUri.Scheme switch
            {
                "http" or "ws" => "ws",
                "https" or "wss" => "wss",
                _ => throw new ArgumentException($"Unsupported scheme '{hubUri.Scheme}' for a hub address.", nameof(hubUri)),
            },
        };

        if (!string.IsNullOrEmpty(accessToken))
        {
            var pair = "access_token=" + Uri.EscapeDataString(accessToken);
            var existing = builder.Query.TrimStart('?');
            builder.Query = existing.Length == 0 ? pair : existing + "&" + pair;
        }

        return builder.Uri;
    }

    private async Task<WebSocket> ConnectClientWebSocketAsync(Uri socketUri, string? token, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            if (_options.SendTokenInHeader && !string.IsNullOrEmpty(token))
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            }

            socket.Options.CollectHttpResponseDetails = true;
            _options.ConfigureClientWebSocket?.Invoke(socket.Options);
            await socket.ConnectAsync(socketUri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException ex) when ((int)socket.HttpStatusCode is >= 400 and < 500)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new HubConnectRefusedException(socketUri, status, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static HttpStatusCode? RefusalStatus(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, @"status code:?\s*'?(4\d\d)");
        return match.Success ? (HttpStatusCode)int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}

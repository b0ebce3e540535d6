using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;

namespace HikiConsult.Client.Transport;

/// <summary>
/// Opens a hub's WebSocket for SignalR's WebSocket transport: puts the token where <see cref="HubTransportOptions"/>
/// says and turns a refused upgrade (401, 403, 404, …) into <see cref="HubConnectRefusedException"/>, which reconnect
/// loops stop on.
/// </summary>
public static partial class HubSocketOpener
{
    public static async ValueTask<WebSocket> OpenAsync(Uri socketUri, HubTransportOptions options, CancellationToken cancellationToken, CookieContainer? cookies = null)
    {
        ArgumentNullException.ThrowIfNull(socketUri);
        ArgumentNullException.ThrowIfNull(options);
        var token = options.AccessTokenProvider is null ? null : await options.AccessTokenProvider(cancellationToken).ConfigureAwait(false);
        var uri = BuildSocketUri(socketUri, options.SendTokenInQuery ? token : null);
        if (options.Connect is null)
        {
            return await ConnectClientWebSocketAsync(uri, options.SendTokenInHeader ? token : null, options, cookies, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await options.Connect(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (RefusalStatus(ex.Message) is { } status)
        {
            // In-memory test servers report a refused upgrade this way.
            throw new HubConnectRefusedException(socketUri, status, ex);
        }
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

    private static async Task<WebSocket> ConnectClientWebSocketAsync(
        Uri socketUri, string? token, HubTransportOptions options, CookieContainer? cookies, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.Cookies = cookies;
            if (!string.IsNullOrEmpty(token))
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            }

            socket.Options.CollectHttpResponseDetails = true;
            options.ConfigureClientWebSocket?.Invoke(socket.Options);
            await socket.ConnectAsync(socketUri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException ex) when ((int)socket.HttpStatusCode is >= 400 and < 500 && !IsUnknownConnection(socketUri, socket.HttpStatusCode))
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

    /// <summary>
    /// A 404 for a negotiated connection id: the node reached does not hold that connection (behind a load balancer,
    /// after its node was lost). Not a refusal: a new negotiate may reach a node that answers.
    /// </summary>
    private static bool IsUnknownConnection(Uri socketUri, HttpStatusCode status) =>
        status == HttpStatusCode.NotFound && socketUri.Query.Contains("id=", StringComparison.Ordinal);

    private static HttpStatusCode? RefusalStatus(string message)
    {
        var match = RefusalPattern().Match(message);
        return match.Success ? (HttpStatusCode)int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"status code:?\s*'?(4\d\d)")]
    private static partial Regex RefusalPattern();
}

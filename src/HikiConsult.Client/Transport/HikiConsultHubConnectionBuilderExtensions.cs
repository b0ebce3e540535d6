using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Client.Transport;

public static class HikiConsultHubConnectionBuilderExtensions
{
    /// <summary>
    /// <c>WithUrl</c> over WebSockets only, with the socket opened by <see cref="HubSocketOpener"/>. Without
    /// <see cref="HubTransportOptions.StatefulReconnect"/> the negotiate round trip is skipped: the hub handshake
    /// runs directly over the socket.
    /// </summary>
    public static IHubConnectionBuilder WithHikiConsultUrl(this IHubConnectionBuilder builder, Uri hubUrl, Action<HubTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hubUrl);

        var options = new HubTransportOptions();
        configure?.Invoke(options);
        var stateful = options.StatefulReconnect && options.Connect is null;
        builder.WithUrl(hubUrl, HttpTransportType.WebSockets, http =>
        {
            http.SkipNegotiation = !stateful;
            if (options.AccessTokenProvider is { } provider)
            {
                // Only the negotiate request uses it; the socket gets its token from the opener.
                http.AccessTokenProvider = async () => await provider(CancellationToken.None).ConfigureAwait(false);
            }

            // The negotiate request's cookies go with the socket: a load balancer's affinity cookie (HAProxy in a
            // cluster) sends both to the node that holds the negotiated connection.
            http.WebSocketFactory = (context, cancellationToken) => HubSocketOpener.OpenAsync(context.Uri, options, cancellationToken, context.Options.Cookies);
        });
        if (stateful)
        {
            builder.WithStatefulReconnect();
        }

        return builder;
    }

    /// <summary>Same, with the server's base address, a hub path (see <c>HubPaths</c>) and a fixed token.</summary>
    public static IHubConnectionBuilder WithHikiConsultUrl(this IHubConnectionBuilder builder, Uri serverBaseUrl, string hubPath, string? accessToken, Func<Uri, CancellationToken, Task<WebSocket>>? connect = null)
    {
        ArgumentNullException.ThrowIfNull(serverBaseUrl);
        return builder.WithHikiConsultUrl(new Uri(serverBaseUrl, hubPath), options =>
        {
            options.AccessTokenProvider = _ => ValueTask.FromResult(accessToken);
            options.Connect = connect;
        });
    }
}

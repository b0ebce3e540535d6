using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Client.Transport;

public static class HikiConsultHubConnectionBuilderExtensions
{
    /// <summary>
    /// Points the builder at a hub over <see cref="WebSocketConnectionFactory"/>: the stand-in for <c>WithUrl</c>
    /// from the HTTP connection package.
    /// </summary>
    public static IHubConnectionBuilder WithHikiConsultUrl(this IHubConnectionBuilder builder, Uri hubUrl, Action<WebSocketConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hubUrl);

        var options = new WebSocketConnectionOptions();
        configure?.Invoke(options);
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory(options));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(hubUrl));
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

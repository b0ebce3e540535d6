using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Client.Tests.Transport;

/// <summary>A minimal hub that reports what the transport delivered, so the factory can be checked end to end.</summary>
public sealed class EchoHub : Hub
{
    public string Echo(string text) => text;

    public async Task EchoToCaller(string text) => await Clients.Caller.SendAsync("Echoed", text);

    public TokenSeen WhoAmI()
    {
        var http = Context.GetHttpContext()!;
        return new TokenSeen(http.Request.Query["access_token"].ToString(), http.Request.Headers.Authorization.ToString());
    }

    public string ConnectionId() => Context.ConnectionId;

    public void Kick() => Context.Abort();
}

public sealed record TokenSeen(string Query, string Header);

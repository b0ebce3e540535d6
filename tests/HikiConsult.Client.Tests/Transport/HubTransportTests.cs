using HikiConsult.Client.Tests.RealServer;
using HikiConsult.Client.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Client.Tests.Transport;

public sealed class HubTransportTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("http://host:5080/hubs/counselor", null, "ws://host:5080/hubs/counselor")]
    [InlineData("https://host/hubs/avatar", "a b+c", "wss://host/hubs/avatar?access_token=a%20b%2Bc")]
    [InlineData("http://host/hubs/avatar?x=1", "t", "ws://host/hubs/avatar?x=1&access_token=t")]
    public void Socket_address_uses_ws_scheme_and_carries_the_token_in_the_query(string hub, string? token, string expected)
    {
        Assert.Equal(expected, HubSocketOpener.BuildSocketUri(new Uri(hub), token).AbsoluteUri);
    }

    [Fact]
    public void Unsupported_scheme_is_refused()
    {
        Assert.Throws<ArgumentException>(() => HubSocketOpener.BuildSocketUri(new Uri("ftp://host/hub"), null));
    }

    [Fact]
    public async Task Hub_calls_work_over_a_custom_socket_opener_with_the_token_in_the_query()
    {
        await using var host = await EchoHubHost.StartAsync(inMemory: true);
        var client = host.TestServer.CreateWebSocketClient();
        await using var connection = new HubConnectionBuilder()
            .WithHikiConsultUrl(host.BaseAddress, "/hubs/echo", "token-1", client.ConnectAsync)
            .Build();

        await connection.StartAsync().WaitAsync(Generous);

        Assert.Equal("hello", await connection.InvokeAsync<string>(nameof(EchoHub.Echo), "hello").WaitAsync(Generous));
        var seen = await connection.InvokeAsync<TokenSeen>(nameof(EchoHub.WhoAmI)).WaitAsync(Generous);
        Assert.Equal("token-1", seen.Query);
    }

    [Fact]
    public async Task Client_websocket_sends_the_token_as_header_and_query_and_carries_large_messages_and_pushes()
    {
        await using var host = await EchoHubHost.StartAsync(inMemory: false);
        var tokenCalls = 0;
        await using var connection = new HubConnectionBuilder()
            .WithHikiConsultUrl(host.HubUrl, o => o.AccessTokenProvider = _ => ValueTask.FromResult<string?>($"token-{Interlocked.Increment(ref tokenCalls)}"))
            .Build();
        var pushed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<string>("Echoed", text => pushed.TrySetResult(text));

        await connection.StartAsync().WaitAsync(Generous);

        var seen = await connection.InvokeAsync<TokenSeen>(nameof(EchoHub.WhoAmI)).WaitAsync(Generous);
        Assert.Equal("token-1", seen.Query);
        Assert.Equal("Bearer token-1", seen.Header);

        // Bigger than one socket frame in both directions.
        var large = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));
        Assert.Equal(large, await connection.InvokeAsync<string>(nameof(EchoHub.Echo), large).WaitAsync(Generous));

        await connection.SendAsync(nameof(EchoHub.EchoToCaller), "pushed");
        Assert.Equal("pushed", await pushed.Task.WaitAsync(Generous));
    }

    [Fact]
    public async Task A_connection_dropped_by_the_server_raises_closed_and_can_start_again_with_a_fresh_token()
    {
        await using var host = await EchoHubHost.StartAsync(inMemory: false);
        var tokenCalls = 0;
        await using var connection = new HubConnectionBuilder()
            .WithHikiConsultUrl(host.HubUrl, o => o.AccessTokenProvider = _ => ValueTask.FromResult<string?>($"token-{Interlocked.Increment(ref tokenCalls)}"))
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        await connection.StartAsync().WaitAsync(Generous);
        await connection.SendAsync(nameof(EchoHub.Kick));
        await closed.Task.WaitAsync(Generous);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);

        await connection.StartAsync().WaitAsync(Generous);
        var seen = await connection.InvokeAsync<TokenSeen>(nameof(EchoHub.WhoAmI)).WaitAsync(Generous);
        Assert.Equal("token-2", seen.Query);
    }

    [Fact]
    public async Task Stopping_closes_the_socket_gracefully()
    {
        await using var host = await EchoHubHost.StartAsync(inMemory: false);
        var connection = new HubConnectionBuilder().WithHikiConsultUrl(host.HubUrl).Build();
        await connection.StartAsync().WaitAsync(Generous);

        await connection.StopAsync().WaitAsync(Generous);

        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task With_stateful_reconnect_a_dropped_socket_is_bridged_without_closing_the_hub_connection()
    {
        await using var host = await EchoHubHost.StartAsync(inMemory: false);
        await using var proxy = new LoopbackTcpProxy(host.BaseAddress.Port);
        await using var connection = new HubConnectionBuilder()
            .WithHikiConsultUrl(new Uri(proxy.BaseAddress, "/hubs/echo"), o => o.StatefulReconnect = true)
            .Build();
        var closed = false;
        connection.Closed += _ =>
        {
            closed = true;
            return Task.CompletedTask;
        };
        await connection.StartAsync().WaitAsync(Generous);
        var before = await connection.InvokeAsync<string>(nameof(EchoHub.ConnectionId)).WaitAsync(Generous);
        var accepted = proxy.Accepted;

        proxy.Cut();
        proxy.Restore();
        var echoed = await connection.InvokeAsync<string>(nameof(EchoHub.Echo), "after the drop").WaitAsync(Generous);
        var after = await connection.InvokeAsync<string>(nameof(EchoHub.ConnectionId)).WaitAsync(Generous);

        Assert.Equal("after the drop", echoed);
        Assert.Equal(before, after);
        Assert.True(proxy.Accepted > accepted, "the socket was not re-opened, so the drop was not exercised");
        Assert.False(closed);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }
}

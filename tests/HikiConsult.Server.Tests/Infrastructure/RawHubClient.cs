using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace HikiConsult.Server.Tests.Infrastructure;

/// <summary>
/// A hub connection that writes the JSON hub protocol by hand, so a test can send what no well-behaved client
/// library would: lone surrogate escapes, wrong argument counts and types. Pushes and pings are skipped while waiting
/// for a call's completion.
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly WebSocket _socket;
    private readonly StringBuilder _pending = new();
    private int _invocationId;

    private RawHubClient(WebSocket socket) => _socket = socket;

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<RawHubClient> ConnectAsync(TestServerApp app, string hubPath, string token)
    {
        var uri = new UriBuilder(new Uri(app.Server.BaseAddress, hubPath)) { Scheme = "ws", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
        var socket = await app.Server.CreateWebSocketClient().ConnectAsync(uri, CancellationToken.None);
        var client = new RawHubClient(socket);
        await client.SendFrameAsync("""{"protocol":"json","version":1}""");
        var handshake = await client.ReceiveFrameAsync();
        if (handshake.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"Handshake refused: {error}");
        }

        return client;
    }

    /// <summary>Invokes <paramref name="target"/> with arguments written as raw JSON; returns the completion (result or error).</summary>
    public async Task<Completion> InvokeRawAsync(string target, string argumentsJson)
    {
        var id = Interlocked.Increment(ref _invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendFrameAsync($$"""{"type":1,"invocationId":"{{id}}","target":{{JsonSerializer.Serialize(target)}},"arguments":{{argumentsJson}}}""");
        while (true)
        {
            var message = await ReceiveFrameAsync();
            var type = message.GetProperty("type").GetInt32();
            if (type == 3 && message.GetProperty("invocationId").GetString() == id)
            {
                return new Completion(
                    message.TryGetProperty("error", out var e) ? e.GetString() : null,
                    message.TryGetProperty("result", out var r) ? r.Clone() : null);
            }

            if (type == 7)
            {
                throw new InvalidOperationException($"The server closed the connection: {message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
            {
                // Already closing from the server's side.
            }
        }

        _socket.Dispose();
    }

    private Task SendFrameAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task<JsonElement> ReceiveFrameAsync()
    {
        using var timeout = new CancellationTokenSource(HubClient.Timeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                return JsonDocument.Parse(text[..end]).RootElement.Clone();
            }

            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the connection.");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    /// <summary>A call's completion: the error text, or the result.</summary>
    public sealed record Completion(string? Error, JsonElement? Result);
}

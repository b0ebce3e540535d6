using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace HikiConsult.Client.Transport;

/// <summary>
/// A connection whose transport pipes are pumped to and from one WebSocket. The hub connection reads and writes
/// <see cref="Transport"/>; two loops move bytes between the other ends of those pipes and the socket.
/// </summary>
internal sealed class WebSocketConnectionContext : ConnectionContext, IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature
{
    private readonly WebSocket _socket;
    private readonly WebSocketMessageType _messageType;
    private readonly TimeSpan _closeTimeout;
    private readonly IDuplexPipe _application;
    private readonly CancellationTokenSource _closed = new();
    private Task _running = Task.CompletedTask;
    private volatile bool _aborted;
    private int _disposed;

    private WebSocketConnectionContext(WebSocket socket, WebSocketMessageType messageType, TimeSpan closeTimeout, EndPoint remoteEndPoint)
    {
        _socket = socket;
        _messageType = messageType;
        _closeTimeout = closeTimeout;

        // Pipe options: no inline scheduling on the app side so a slow handler never blocks the socket loop.
        var input = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var output = new Pipe(new PipeOptions(useSynchronizationContext: false));
        Transport = new DuplexPipe(input.Reader, output.Writer);
        _application = new DuplexPipe(output.Reader, input.Writer);

        ConnectionId = Guid.NewGuid().ToString("N");
        RemoteEndPoint = remoteEndPoint;
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public static WebSocketConnectionContext Start(WebSocket socket, WebSocketMessageType messageType, TimeSpan closeTimeout, EndPoint remoteEndPoint)
    {
        var context = new WebSocketConnectionContext(socket, messageType, closeTimeout, remoteEndPoint);
        context._running = context.RunAsync();
        return context;
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _aborted = true;
        _socket.Abort();
        _application.Input.CancelPendingRead();
        _application.Output.CancelPendingFlush();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Completing our ends lets the send loop see the end and close the socket gracefully.
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        _application.Input.CancelPendingRead();

        try
        {
            await _running.WaitAsync(_closeTimeout + _closeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _aborted = true;
            _socket.Abort();
        }
        finally
        {
            _socket.Dispose();
            _closed.Dispose();
        }
    }

    private async Task RunAsync()
    {
        var receiving = ReceiveLoopAsync();
        var sending = SendLoopAsync();

        var first = await Task.WhenAny(receiving, sending).ConfigureAwait(false);
        if (first == receiving)
        {
            // The peer closed or the socket broke: stop waiting for app data, give a pending send a moment.
            _application.Input.CancelPendingRead();
            if (await Task.WhenAny(sending, Task.Delay(_closeTimeout)).ConfigureAwait(false) != sending)
            {
                _aborted = true;
                _socket.Abort();
            }
        }
        else
        {
            // We sent our close (or failed to send): wait briefly for the peer's close frame, then abort.
            if (await Task.WhenAny(receiving, Task.Delay(_closeTimeout)).ConfigureAwait(false) != receiving)
            {
                _aborted = true;
                _socket.Abort();
                _application.Output.CancelPendingFlush();
            }
        }

        await Task.WhenAll(receiving, sending).ConfigureAwait(false);
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently; nobody is listening any more.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var writer = _application.Output;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(4096);
                var result = await _socket.ReceiveAsync(memory, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.CloseStatus is not (WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable))
                    {
                        error = new WebSocketException($"The server closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}".TrimEnd());
                    }

                    break;
                }

                writer.Advance(result.Count);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (!_aborted)
        {
            error = ex;
        }
        catch
        {
            // Aborted on purpose: end quietly.
        }
        finally
        {
            await writer.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _application.Input;
        var failed = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (result.IsCanceled)
                    {
                        break;
                    }

                    if (!buffer.IsEmpty)
                    {
                        if (!CanSend())
                        {
                            break;
                        }

                        await SendBufferAsync(buffer).ConfigureAwait(false);
                    }

                    if (result.IsCompleted)
                    {
                        break;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }
        }
        catch
        {
            failed = true;
        }
        finally
        {
            if (CanSend())
            {
                try
                {
                    var status = failed ? WebSocketCloseStatus.InternalServerError : WebSocketCloseStatus.NormalClosure;
                    await _socket.CloseOutputAsync(status, null, CancellationToken.None).ConfigureAwait(false);
                }
                catch
                {
                    // The socket is already gone; nothing left to close.
                }
            }

            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask SendBufferAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            await _socket.SendAsync(buffer.First, _messageType, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var position = buffer.Start;
        buffer.TryGet(ref position, out var previous);
        while (buffer.TryGet(ref position, out var next))
        {
            await _socket.SendAsync(previous, _messageType, endOfMessage: false, CancellationToken.None).ConfigureAwait(false);
            previous = next;
        }

        await _socket.SendAsync(previous, _messageType, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
    }

    private bool CanSend() => _socket.State is WebSocketState.Open or WebSocketState.CloseReceived;

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}

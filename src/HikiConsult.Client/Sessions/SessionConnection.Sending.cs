using System.Text.Json;
using HikiConsult.Client.Api;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Client.Sessions;

/// <summary>Reliable send: wait for a ready connection, repeat with the same clientMsgId until acknowledged.</summary>
public sealed partial class SessionConnection
{
    /// <summary>Sends with a fresh clientMsgId; see <see cref="SendAsync(SendRequest, CancellationToken)"/>.</summary>
    public Task<SendAck> SendAsync(string kind, object body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(body);
        var element = body is JsonElement json ? json : JsonSerializer.SerializeToElement(body, body.GetType(), HikiConsultApi.JsonOptions);
        return SendAsync(new SendRequest(NewClientMsgId(), kind, element), cancellationToken);
    }

    /// <summary>
    /// Sends one message and returns the server's ack. While the connection is down the send waits; after a
    /// reconnect it is repeated with the same clientMsgId until acknowledged, so it is stored exactly once
    /// (<see cref="SendAck.Duplicate"/> is then true if the first attempt had already been stored). A refusal by
    /// the server (<see cref="HubException"/>) is thrown at once and not repeated.
    /// </summary>
    public async Task<SendAck> SendAsync(SendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ClientMsgId);
        var sessionId = SessionId ?? throw new InvalidOperationException("Join a session before sending.");
        var failuresWhileConnected = 0;

        while (true)
        {
            TaskCompletionSource ready;
            lock (_gate)
            {
                ThrowIfClosedLocked();
                ready = _ready;
            }

            await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var ack = await _hub.InvokeAsync<SendAck>(HubMethods.Send, sessionId, request, cancellationToken).ConfigureAwait(false);
                OnOwnAck(sessionId, request, ack);
                return ack;
            }
            catch (HubException)
            {
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                // Lost on the way: the server may or may not have stored it, which the repeat with the same id settles.
                if (_hub.State == HubConnectionState.Connected)
                {
                    if (++failuresWhileConnected >= _options.MaxSendAttemptsWhileConnected)
                    {
                        throw;
                    }

                    _logger.LogDebug(ex, "Send failed while the connection looked healthy; repeating");
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    lock (_gate)
                    {
                        if (_ready == ready && ready.Task.IsCompletedSuccessfully)
                        {
                            _ready = NewReadySignal();
                        }
                    }
                }
            }
        }
    }


    /// <summary>
    /// Feeds the caller's own event to the sequencer from its ack, so the stream does not stall on it if the server
    /// does not echo events to their sender. The server's copy, if it comes, is dropped as a repeat (or vice versa).
    /// </summary>
    private void OnOwnAck(string sessionId, SendRequest request, SendAck ack)
    {
        var own = new SessionEventDto(sessionId, ack.Seq, ack.At, _options.Self ?? UnknownSelf, request.Kind, request.Body);
        lock (_gate)
        {
            if (_sequencer is null)
            {
                return;
            }

            Deliver(_sequencer.Accept(own));
            ArmGapRepairLocked();
        }
    }
}

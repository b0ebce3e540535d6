using HikiConsult.Client.Transport;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Client.Sessions;

/// <summary>The reconnect loop: after a lost connection, start again with backoff and resume by afterSeq.</summary>
public sealed partial class SessionConnection
{
    private Task OnClosedAsync(Exception? error)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || _status == SessionConnectionStatus.Closed)
            {
                return Task.CompletedTask;
            }

            if (_ready.Task.IsCompleted)
            {
                _ready = NewReadySignal();
            }

            SetStatus(SessionConnectionStatus.Reconnecting);
            if (_reconnectRunning)
            {
                return Task.CompletedTask;
            }

            _reconnectRunning = true;
        }

        _logger.LogInformation(error, "Connection lost; reconnecting");
        _ = Task.Run(ReconnectLoopAsync);
        return Task.CompletedTask;
    }

    private async Task ReconnectLoopAsync()
    {
        var attempt = 0;
        while (true)
        {
            try
            {
                await Task.Delay(_options.Backoff.DelayBefore(attempt++), _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
                if (_hub.State == HubConnectionState.Disconnected)
                {
                    await _hub.StartAsync(_stopping.Token).ConfigureAwait(false);
                }

                string? sessionId;
                long from;
                lock (_gate)
                {
                    sessionId = _sessionId;
                    from = _sequencer?.LastDelivered ?? 0;
                }

                if (sessionId is not null)
                {
                    var result = await _hub.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, sessionId, from, _stopping.Token).ConfigureAwait(false);
                    ApplyJoin(result, from);
                }

                lock (_gate)
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        _reconnectRunning = false;
                        return;
                    }

                    // Dropped again while resuming: go round once more (the Closed handler saw the loop running).
                    if (_hub.State != HubConnectionState.Connected)
                    {
                        continue;
                    }

                    _reconnectRunning = false;
                    Interlocked.Increment(ref _reconnects);
                    if (sessionId is null)
                    {
                        SetStatus(SessionConnectionStatus.Connected);
                    }
                    else
                    {
                        _ready.TrySetResult();
                        SetStatus(SessionConnectionStatus.Ready);
                    }
                }

                _logger.LogInformation("Reconnected after {Attempts} attempt(s)", attempt);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                lock (_gate)
                {
                    _reconnectRunning = false;
                }

                return;
            }
            catch (Exception ex) when (FindRefusal(ex) is { } refusal)
            {
                // Wrong or revoked credentials, or the session may no longer be joined: retrying cannot help.
                _logger.LogWarning("Reconnect refused: {Reason}", refusal.Message);
                Fault(refusal);
                return;
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Reconnect attempt {Attempt} failed", attempt);
            }
        }
    }

    /// <summary>A refused connection or a hub refusal (e.g. the session may no longer be joined).</summary>
    private Exception? FindRefusal(Exception ex) =>
        HubConnectRefusedException.Find(_hubUrl, ex) ?? (Exception?)FindHubException(ex);

    private static HubException? FindHubException(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is HubException hub)
            {
                return hub;
            }
        }

        return null;
    }

    private void Fault(Exception reason)
    {
        lock (_gate)
        {
            _fault = reason;
            _reconnectRunning = false;
            SetStatus(SessionConnectionStatus.Closed);
            _ready.TrySetException(new InvalidOperationException("The session connection was closed: " + reason.Message, reason));
            _ready.Task.Exception?.Handle(_ => true);
            _events.Writer.TryComplete(reason);
        }
    }
}

using System.Text.Json;
using System.Threading.Channels;
using HikiConsult.Client.Api;
using HikiConsult.Client.Transport;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HikiConsult.Client.Sessions;

/// <summary>
/// One participant's connection to one consultation session over <c>/hubs/counselor</c> or <c>/hubs/avatar</c>.
/// After a lost connection it reconnects by itself with backoff, joins again with the last seq it delivered and so
/// receives exactly the events it missed; <see cref="Events"/> yields every event once, in seq order. A send keeps its
/// clientMsgId across reconnects and is repeated until the server acknowledges it, which the server deduplicates.
/// </summary>
public sealed class SessionConnection : IAsyncDisposable
{
    private static readonly SenderDto UnknownSelf = new("", "", "");

    private readonly HubConnection _hub;
    private readonly SessionConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Channel<SessionEventDto> _events = Channel.CreateUnbounded<SessionEventDto>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly CancellationTokenSource _stopping = new();

    private TaskCompletionSource _ready = NewReadySignal();
    private EventSequencer? _sequencer;
    private string? _sessionId;
    private Exception? _fault;
    private SessionConnectionStatus _status = SessionConnectionStatus.Idle;
    private bool _reconnectRunning;
    private bool _gapRepairArmed;
    private SessionStateDto? _state;
    private int _reconnects;

    public SessionConnection(Uri hubUrl, SessionConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        _options = options ?? new SessionConnectionOptions();
        var loggerFactory = _options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<SessionConnection>();

        var builder = new HubConnectionBuilder().WithHikiConsultUrl(hubUrl, transport =>
        {
            transport.AccessTokenProvider = _options.AccessTokenProvider;
            transport.Connect = _options.Connect;
        });
        builder.Services.AddSingleton(loggerFactory);
        _hub = builder.Build();
        _hub.ServerTimeout = _options.ServerTimeout;
        _hub.KeepAliveInterval = _options.KeepAliveInterval;
        _hub.On<SessionEventDto>(HubMethods.SessionEvent, OnSessionEvent);
        _hub.On<SessionStateDto>(HubMethods.SessionState, OnSessionState);
        _hub.Closed += OnClosedAsync;
    }

    /// <summary>A connection to <paramref name="hubPath"/> (see <see cref="HubPaths"/>) on the API's server with the API's token.</summary>
    public static SessionConnection For(HikiConsultApi api, string hubPath, SessionConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        options ??= new SessionConnectionOptions();
        options.AccessTokenProvider ??= _ => ValueTask.FromResult(api.AccessToken);
        return new SessionConnection(new Uri(api.BaseAddress, hubPath), options);
    }

    /// <summary>The underlying hub connection, for hub methods beyond the session's (e.g. acknowledging alerts).</summary>
    public HubConnection Hub => _hub;

    public string? SessionId
    {
        get
        {
            lock (_gate)
            {
                return _sessionId;
            }
        }
    }

    /// <summary>The highest seq delivered to <see cref="Events"/>; a resume asks for everything after it.</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _sequencer?.LastDelivered ?? 0;
            }
        }
    }

    public SessionConnectionStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>The latest session state and participants (from a join or a SessionState push).</summary>
    public SessionStateDto? State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>How many times the connection was re-established and the session resumed.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Events dropped as repeats (the same seq by push, resume or ack).</summary>
    public long DuplicatesDropped
    {
        get
        {
            lock (_gate)
            {
                return _sequencer?.DuplicatesDropped ?? 0;
            }
        }
    }

    /// <summary>Seqs the server could not deliver on resume (should stay 0).</summary>
    public long SeqsSkipped
    {
        get
        {
            lock (_gate)
            {
                return _sequencer?.SeqsSkipped ?? 0;
            }
        }
    }

    /// <summary>
    /// Every event of the session once, in seq order: the join's history, live events, and what a resume recovered;
    /// the caller's own sends included. Completes when the connection closes; faults if the server refuses a resume.
    /// </summary>
    public ChannelReader<SessionEventDto> Events => _events.Reader;

    public event Action<SessionStateDto>? StateChanged;

    public event Action<SessionConnectionStatus>? StatusChanged;

    public IAsyncEnumerable<SessionEventDto> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Opens the connection once; a failure is thrown (reconnecting starts only after a first success).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        await _hub.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_status == SessionConnectionStatus.Idle)
            {
                SetStatus(SessionConnectionStatus.Connected);
            }
        }
    }

    /// <summary>
    /// Joins the session. The first join delivers the events after <paramref name="afterSeq"/> (0: the whole
    /// history); later joins of the same session resume from <see cref="LastSeq"/>. One session per connection.
    /// </summary>
    public async Task<JoinSessionResult> JoinAsync(string sessionId, long afterSeq = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSeq);
        ThrowIfClosed();

        long from;
        lock (_gate)
        {
            if (_sessionId is not null && _sessionId != sessionId)
            {
                throw new InvalidOperationException("This connection already belongs to another session; open one connection per session.");
            }

            _sessionId = sessionId;
            _sequencer ??= new EventSequencer(afterSeq);
            from = _sequencer.LastDelivered;
        }

        var result = await _hub.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, sessionId, from, cancellationToken).ConfigureAwait(false);
        ApplyJoin(result, from);
        lock (_gate)
        {
            if (_hub.State == HubConnectionState.Connected && _status != SessionConnectionStatus.Closed)
            {
                _ready.TrySetResult();
                SetStatus(SessionConnectionStatus.Ready);
            }
        }

        return result;
    }

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

    /// <summary>Leaves the session and closes the connection.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        var sessionId = SessionId ?? throw new InvalidOperationException("Not joined.");
        await _hub.InvokeAsync(HubMethods.LeaveSession, sessionId, cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Counselors only: ends the session with a closing note. The connection stays open for the final events.</summary>
    public Task EndSessionAsync(string note, CancellationToken cancellationToken = default)
    {
        var sessionId = SessionId ?? throw new InvalidOperationException("Not joined.");
        return _hub.InvokeAsync(HubMethods.EndSession, sessionId, note, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            SetStatus(SessionConnectionStatus.Closed);
            _ready.TrySetException(new ObjectDisposedException(nameof(SessionConnection)));
            _ready.Task.Exception?.Handle(_ => true);
        }

        try
        {
            await _hub.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public static string NewClientMsgId() => Guid.NewGuid().ToString("N");

    private static TaskCompletionSource NewReadySignal()
    {
        return new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void OnSessionEvent(SessionEventDto item)
    {
        lock (_gate)
        {
            if (_sequencer is null || item.SessionId != _sessionId)
            {
                return;
            }

            Deliver(_sequencer.Accept(item));
            ArmGapRepairLocked();
        }
    }

    private void OnSessionState(SessionStateDto state)
    {
        lock (_gate)
        {
            if (state.SessionId != _sessionId)
            {
                return;
            }

            _state = state;
        }

        StateChanged?.Invoke(state);
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

    private void ApplyJoin(JoinSessionResult result, long requestedAfterSeq)
    {
        var state = new SessionStateDto(result.SessionId, result.State, result.Participants);
        lock (_gate)
        {
            if (_sequencer is null)
            {
                return;
            }

            Deliver(_sequencer.AcceptRange(result.Events));

            // The server returns every event after the seq asked for; one that starts later has lost events.
            var first = result.Events.Count == 0 ? (long?)null : result.Events.Min(e => e.Seq);
            if (first is { } firstSeq && firstSeq > requestedAfterSeq + 1 && _sequencer.LastDelivered < firstSeq - 1)
            {
                _logger.LogWarning("Resume of session {SessionId} after seq {AfterSeq} started at seq {FirstSeq}; skipping the missing seqs", result.SessionId, requestedAfterSeq, firstSeq);
                Deliver(_sequencer.SkipTo(firstSeq - 1));
            }

            _state = state;
            ArmGapRepairLocked();
        }

        StateChanged?.Invoke(state);
    }

    private void Deliver(IReadOnlyList<SessionEventDto> ready)
    {
        foreach (var item in ready)
        {
            _events.Writer.TryWrite(item);
        }
    }

    private void ArmGapRepairLocked()
    {
        if (_gapRepairArmed || _sequencer is not { MissingSeq: { } missing } || _stopping.IsCancellationRequested)
        {
            return;
        }

        _gapRepairArmed = true;
        _ = RepairGapAsync(missing);
    }

    /// <summary>Safety net: if a seq is still missing after a while, resume from the last delivered seq.</summary>
    private async Task RepairGapAsync(long missing)
    {
        try
        {
            await Task.Delay(_options.GapRepairDelay, _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
            string? sessionId;
            long from;
            lock (_gate)
            {
                sessionId = _sessionId;
                from = _sequencer?.LastDelivered ?? 0;
                if (sessionId is null || from >= missing || !_ready.Task.IsCompletedSuccessfully)
                {
                    return;
                }
            }

            _logger.LogWarning("Session {SessionId}: seq {Missing} still missing; resuming from seq {From}", sessionId, missing, from);
            var result = await _hub.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, sessionId, from, _stopping.Token).ConfigureAwait(false);
            ApplyJoin(result, from);
        }
        catch (Exception ex) when (ex is OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // A reconnect resumes anyway; the next event re-arms the check.
            _logger.LogDebug(ex, "Gap repair did not complete");
        }
        finally
        {
            lock (_gate)
            {
                _gapRepairArmed = false;
                ArmGapRepairLocked();
            }
        }
    }

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

    private static Exception? FindRefusal(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is HubConnectRefusedException or HubException)
            {
                return current;
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

    private void SetStatus(SessionConnectionStatus status)
    {
        if (_status == status)
        {
            return;
        }

        _status = status;
        var handler = StatusChanged;
        if (handler is not null)
        {
            // Outside the caller's lock-holding stack, so handlers may call back in.
            _ = Task.Run(() => handler(status));
        }
    }

    private void ThrowIfClosed()
    {
        lock (_gate)
        {
            ThrowIfClosedLocked();
        }
    }

    private void ThrowIfClosedLocked()
    {
        if (_fault is not null)
        {
            throw new InvalidOperationException("The session connection was closed: " + _fault.Message, _fault);
        }

        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
    }
}

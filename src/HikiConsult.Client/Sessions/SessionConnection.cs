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
public sealed partial class SessionConnection : IAsyncDisposable
{
    private static readonly SenderDto UnknownSelf = new("", "", "");

    private readonly HubConnection _hub;
    private readonly Uri _hubUrl;
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
        _hubUrl = hubUrl;
        _options = options ?? new SessionConnectionOptions();
        var loggerFactory = _options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<SessionConnection>();

        var builder = new HubConnectionBuilder().WithHikiConsultUrl(hubUrl, transport =>
        {
            transport.AccessTokenProvider = _options.AccessTokenProvider;
            transport.Connect = _options.Connect;
            transport.StatefulReconnect = _options.StatefulReconnect;
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
        try
        {
            await _hub.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (HubConnectRefusedException.Find(_hubUrl, ex) is { } refused)
        {
            throw refused;
        }

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

using Orleans;
using Orleans.Runtime;
using Orleans.Utilities;
using HikiConsult.Contracts;
using HikiConsult.Grains.Protection;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Counselors;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Single writer of one session's log. Every event follows the same path inside one turn: take seq = last + 1,
/// store it (durable), only then advance the last seq, push it to the observers, run the sinks, and ack. A
/// failed store leaves the seq unused, so the log has no gaps.
/// <para>
/// Resends are recognised here, not by a unique index (which cost a page written per message): from the first
/// send of an activation on, the grain holds every (sender, clientMsgId) of its log, read after its last seq.
/// That stays true without a second writer, since only this grain appends; with one (two activations, which the
/// host does not make), an append after the log moved on finds its seq taken, and the grain reads both again
/// before it decides. After a failed append, which may still have committed, it reads them again too.
/// </para>
/// <para>
/// An event that committed although its append reported failure is published at the grain's next call that
/// depends on the log or the state: it reads the log on from its last seq first and pushes what it finds to the
/// observers and the sinks, so the other participants see it live and the analytics and risk detection take it,
/// as if the answer had not been lost; a state change among it becomes the state (the log wins, as on
/// activation). A close found that way (here or on activation) has no closing note, which is stored with the
/// state, after the log: the same caller's resent <c>End</c> (with its note) or <c>Cancel</c> completes it.
/// </para>
/// </summary>
[GrainType(GrainTypeName)]
public sealed class ConsultationSessionGrain : Grain, IConsultationSessionGrain
{
    /// <summary>The grain type in grain ids (and so in grain state keys): never change it.</summary>
    public const string GrainTypeName = "session";

    private readonly IPersistentState<ConsultationSessionState> _state;
    private readonly ISessionEventStore _store;
    // An array: enumerated for every event, without an enumerator object.
    private readonly ISessionEventSink[] _sinks;
    private readonly TimeProvider _time;
    private readonly IClinicalDataProtector _protector;
    private readonly ILogger<ConsultationSessionGrain> _logger;
    private readonly ObserverManager<ISessionObserver> _observers;
    private readonly Dictionary<string, HashSet<string>> _connections = new(StringComparer.Ordinal);
    private long _lastSeq;

    /// <summary>State pushes of this activation, so that a node recognises an older state that arrives after a newer one.</summary>
    private long _stateChanges;

    /// <summary>Set when an append failed or found its seq taken: the log may hold events after <see cref="_lastSeq"/>.</summary>
    private bool _logMayHaveMoved;

    /// <summary>Set when the state was closed from the log: the close's own state write (with its note) never happened.</summary>
    private bool _closeTakenFromLog;

    /// <summary>Every (sender, clientMsgId) up to <see cref="_lastSeq"/>; read at the first send, null until then.</summary>
    private SentMessageIds? _sent;

    public ConsultationSessionGrain(
        [PersistentState("session", "Default")] IPersistentState<ConsultationSessionState> state,
        ISessionEventStore store,
        IEnumerable<ISessionEventSink> sinks,
        TimeProvider time,
        IClinicalDataProtector protector,
        ILogger<ConsultationSessionGrain> logger)
    {
        _protector = protector;
        _state = state;
        _store = store;
        _sinks = sinks.ToArray();
        _time = time;
        _logger = logger;
        _observers = new ObserverManager<ISessionObserver>(SessionObserverTiming.Expiry, logger);
    }

    private string SessionId => this.GetPrimaryKeyString();

    private ConsultationSessionState S => _state.State;

    private bool IsOpen => SessionStates.IsOpen(S.State);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!S.Created)
        {
            return;
        }

        _lastSeq = await _store.GetLastSeqAsync(SessionId, cancellationToken);

        // The log is written before the state blob; if the process died between the two, the log wins.
        if (await _store.FindLastSystemEventAsync(SessionId, SystemEvents.State, cancellationToken) is { } lastChange)
        {
            await TakeStateFromLogAsync(lastChange);
        }

        // The client's grain and the staff are told after the state write: if the process died before, they were not.
        await TellClientAndStaffAsync();

        // One call at a time, and each event goes to the sinks before the next append: if the process died between
        // an append and its sinks, that event is the log's last. It goes to them again, marked as such.
        if (_lastSeq > 0 && _sinks.Length > 0 && await _store.ReadAsync(SessionId, _lastSeq - 1, 1, cancellationToken) is [var last])
        {
            await RunSinksAsync(last, redelivered: true);
        }
    }

    /// <summary>Makes the state the one a state change in the log names, if it differs (the log wins).</summary>
    private async Task<bool> TakeStateFromLogAsync(SessionEventDto change)
    {
        if (change.Body.TryGetProperty("state", out var logged)
            && logged.GetString() is { } loggedState
            && loggedState != S.State)
        {
            var closed = loggedState is SessionStates.Ended or SessionStates.Cancelled or SessionStates.NoShow;
            _state.State = S with
            {
                State = loggedState,
                EndedAt = closed ? S.EndedAt ?? change.At : S.EndedAt,
                ClosedBy = closed ? S.ClosedBy ?? (change.Body.TryGetProperty("by", out var by) ? by.GetString() : null) : S.ClosedBy,
            };
            await _state.WriteStateAsync();
            _closeTakenFromLog = closed;
            _logger.LogWarning("Session {SessionId} state reconciled from its log to {State}", SessionId, loggedState);
            return true;
        }

        return false;
    }

    public async Task<SessionDto> Create(NewSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (S.Created)
        {
            throw ConsultationRuleException.Conflict("The session exists already.");
        }

        _state.State = new ConsultationSessionState
        {
            Created = true,
            ClientId = session.ClientId,
            State = SessionStates.Scheduled,
            FamilyOnly = session.FamilyOnly,
            ScheduledAt = session.ScheduledAt,
            CreatedAt = Now(),
            CreatedBy = session.CreatedBy,
        };
        await _state.WriteStateAsync();
        await AppendSystemAsync(SystemEvents.StateChange(SessionStates.Scheduled, null, session.CreatedBy));
        await TellClientAndStaffAsync();
        return ToDto();
    }

    public Task<SessionDto?> Get()
    {
        if (!S.Created)
        {
            DeactivateOnIdle();
            return Task.FromResult<SessionDto?>(null);
        }

        return Task.FromResult<SessionDto?>(ToDto());
    }

    public async Task Erase()
    {
        if (_state.RecordExists)
        {
            await _state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }

    public Task<SessionRecord?> GetRecord()
    {
        if (!S.Created)
        {
            DeactivateOnIdle();
            return Task.FromResult<SessionRecord?>(null);
        }

        return Task.FromResult<SessionRecord?>(new SessionRecord(ToDto(), S.ClosingNote is null ? null : _protector.Unprotect(S.ClosingNote), S.ClosedBy));
    }

    public async Task<JoinSessionResult> Join(SenderDto participant, string connectionId, long afterSeq, ISessionObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(participant);
        EnsureCreated();
        if (afterSeq < 0)
        {
            throw ConsultationRuleException.Invalid("'afterSeq' must be 0 or more.");
        }

        await CatchUpWithLogAsync();
        if (observer is not null)
        {
            _observers.Subscribe(observer, observer);
        }

        if (IsOpen)
        {
            await AddConnectionAsync(participant, connectionId);
        }

        IReadOnlyList<SessionEventDto> events = afterSeq >= _lastSeq ? [] : await _store.ReadAsync(SessionId, afterSeq, int.MaxValue);
        return new JoinSessionResult(SessionId, S.ClientId, S.State, Participants(), events);
    }

    public async Task<SendAck> Send(SenderDto sender, SendRequest message)
    {
        ArgumentNullException.ThrowIfNull(sender);
        EnsureCreated();
        if (message is null)
        {
            throw ConsultationRuleException.Invalid("A message with 'clientMsgId', 'kind' and 'body' is required.");
        }

        SessionEventValidator.ValidateClientMsgId(message.ClientMsgId);
        await CatchUpWithLogAsync();

        // A resend of something accepted earlier gets its ack even when the session has closed since.
        // Senders must have joined (the hub also checks the join on the very connection). Presence is not
        // required: it lives in memory and is gone if this activation was ever replaced.
        if (!IsOpen || !IsParticipant(sender.Id))
        {
            var earlier = await _store.FindByClientMsgIdAsync(SessionId, sender.Id, message.ClientMsgId);
            if (earlier is not null)
            {
                return earlier with { Duplicate = true };
            }

            throw IsOpen
                ? ConsultationRuleException.Conflict("Join the session before sending to it.")
                : ConsultationRuleException.Conflict($"The session is {S.State}; nothing more can be sent to it.");
        }

        var body = SessionEventValidator.Normalize(sender.Role, message.Kind, message.Body);
        var (appended, duplicateOf) = await AppendAsync(sender, message.Kind, body, message.ClientMsgId);
        return duplicateOf is not null
            ? duplicateOf with { Duplicate = true }
            : new SendAck(appended!.Seq, appended.At, false);
    }

    public async Task Leave(string participantId, string connectionId)
    {
        if (!S.Created || !_connections.TryGetValue(participantId, out var connections) || !connections.Remove(connectionId))
        {
            return;
        }

        if (connections.Count > 0)
        {
            return;
        }

        _connections.Remove(participantId);
        await CatchUpWithLogAsync();
        var participant = S.Participants.FirstOrDefault(p => p.Id == participantId);
        if (IsOpen && participant is not null)
        {
            await AppendSystemAsync(SystemEvents.Presence(SystemEvents.Left, participant));
        }

        await BroadcastStateAsync();
    }

    public async Task<SessionStateDto> End(SenderDto by, string? note)
    {
        ArgumentNullException.ThrowIfNull(by);
        EnsureCreated();
        var checkedNote = SessionEventValidator.ValidateNote(note, "note");
        await CatchUpWithLogAsync();
        if (!IsOpen)
        {
            if (S.State is SessionStates.Ended or SessionStates.NoShow && ResendOfCloseTakenFromLog(by))
            {
                await CompleteCloseTakenFromLogAsync(checkedNote);
                return new SessionStateDto(SessionId, S.State, Participants());
            }

            throw ConsultationRuleException.Conflict($"The session is {S.State} already.");
        }

        var next = S.ClientSideJoined ? SessionStates.Ended : SessionStates.NoShow;
        await CloseAsync(next, by, checkedNote);
        return new SessionStateDto(SessionId, S.State, Participants());
    }

    public async Task<SessionDto> Cancel(SenderDto by)
    {
        ArgumentNullException.ThrowIfNull(by);
        EnsureCreated();
        await CatchUpWithLogAsync();
        if (S.State == SessionStates.Cancelled && ResendOfCloseTakenFromLog(by))
        {
            await CompleteCloseTakenFromLogAsync(null);
            return ToDto();
        }

        if (S.State is not (SessionStates.Scheduled or SessionStates.Waiting))
        {
            throw ConsultationRuleException.Conflict(S.State == SessionStates.Active
                ? "The session is active: end it instead of cancelling it."
                : $"The session is {S.State} already.");
        }

        await CloseAsync(SessionStates.Cancelled, by, null);
        return ToDto();
    }

    public Task<long> Subscribe(ISessionObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(_lastSeq);
    }

    public Task Unsubscribe(ISessionObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private async Task AddConnectionAsync(SenderDto participant, string connectionId)
    {
        var isStaff = participant.Role is Roles.Counselor or Roles.Supervisor;
        var isClientSide = participant.Role is Roles.Client or Roles.Family;

        if (!_connections.TryGetValue(participant.Id, out var connections))
        {
            connections = new HashSet<string>(StringComparer.Ordinal);
            _connections[participant.Id] = connections;
        }

        if (!connections.Add(connectionId) || connections.Count > 1)
        {
            return; // the participant was present already: nothing to log
        }

        var known = IsParticipant(participant.Id);
        if (!known || (isClientSide && !S.ClientSideJoined))
        {
            _state.State = S with
            {
                Participants = known ? S.Participants : [.. S.Participants, participant],
                ClientSideJoined = S.ClientSideJoined || isClientSide,
            };
            await _state.WriteStateAsync();
        }

        await AppendSystemAsync(SystemEvents.Presence(SystemEvents.Joined, participant));

        if (S.State == SessionStates.Scheduled)
        {
            await ChangeStateAsync(SessionStates.Waiting, participant.Id);
        }

        if (S.State == SessionStates.Waiting && AnyPresent(isStaffRole: true) && AnyPresent(isStaffRole: false))
        {
            await ChangeStateAsync(SessionStates.Active, participant.Id);
        }

        await BroadcastStateAsync();

        if (isStaff)
        {
            await GrainFactory.GetGrain<ICounselorGrain>(participant.Id).SessionJoined(SessionId);
        }
    }

    /// <summary>Whether this id took part: looked up on every message, so without a closure or an enumerator.</summary>
    private bool IsParticipant(string id)
    {
        var participants = S.Participants;
        for (var i = 0; i < participants.Count; i++)
        {
            if (participants[i].Id == id)
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyPresent(bool isStaffRole) => S.Participants.Any(p =>
        _connections.ContainsKey(p.Id)
        && (isStaffRole ? p.Role is Roles.Counselor or Roles.Supervisor : p.Role is Roles.Client or Roles.Family));

    private async Task ChangeStateAsync(string next, string? by)
    {
        var from = S.State;
        await AppendSystemAsync(SystemEvents.StateChange(next, from, by));
        _state.State = S with { State = next };
        await _state.WriteStateAsync();
        await TellClientAndStaffAsync();
    }

    private async Task CloseAsync(string next, SenderDto by, string? note)
    {
        var from = S.State;
        await AppendSystemAsync(SystemEvents.StateChange(next, from, by.Id));
        _state.State = S with { State = next, EndedAt = Now(), ClosedBy = by.Id, ClosingNote = ProtectNote(note) };
        await _state.WriteStateAsync();
        await BroadcastStateAsync();
        await TellClientAndStaffAsync();
    }

    /// <summary>
    /// The same close, resent because its answer was lost: the log has it, but its state write (with the note) never
    /// happened, so the state was taken from the log.
    /// </summary>
    /// <summary>The note is clinical text: kept encrypted in the grain's state row.</summary>
    private string? ProtectNote(string? note) => note is null ? null : _protector.Protect(note);

    private bool ResendOfCloseTakenFromLog(SenderDto by) => _closeTakenFromLog && S.ClosedBy == by.Id && S.ClosingNote is null;

    /// <summary>Does what the close's own state write would have: stores its note, tells the client's grain and the staff.</summary>
    private async Task CompleteCloseTakenFromLogAsync(string? note)
    {
        _closeTakenFromLog = false;
        _state.State = S with { ClosingNote = ProtectNote(note) };
        await _state.WriteStateAsync();
        await TellClientAndStaffAsync();
    }

    /// <summary>
    /// What follows every state write: the client's grain hears of the state (its list of sessions), the staff of a
    /// close (their open sessions). Both calls change nothing when they knew already.
    /// </summary>
    private async Task TellClientAndStaffAsync()
    {
        await NotifyClientAsync();
        if (IsOpen)
        {
            return;
        }

        foreach (var staff in S.Participants.Where(p => p.Role is Roles.Counselor or Roles.Supervisor))
        {
            await GrainFactory.GetGrain<ICounselorGrain>(staff.Id).SessionClosed(SessionId);
        }
    }

    private Task AppendSystemAsync(NormalizedBody body) => AppendAsync(SystemEvents.Server, EventKinds.System, body, null);

    /// <summary>The one path into the log. Returns the stored event, or the original ack when the sender resent.</summary>
    private async Task<(SessionEventDto? Appended, SendAck? DuplicateOf)> AppendAsync(SenderDto sender, string kind, NormalizedBody body, string? clientMsgId)
    {
        var sentKey = clientMsgId is null ? 0 : SentMessageIds.Key(sender.Id, clientMsgId);
        for (var attempt = 0; ; attempt++)
        {
            await CatchUpWithLogAsync();
            if (clientMsgId is not null && await FindSentAsync(sender.Id, clientMsgId, sentKey) is { } original)
            {
                return (null, original);
            }

            var seq = _lastSeq + 1;
            var at = Now();
            AppendOutcome outcome;
            try
            {
                outcome = await _store.AppendAsync(new StoredSessionEvent(SessionId, seq, at, sender, kind, body.Element, clientMsgId));
            }
            catch
            {
                // It may have committed all the same: a resend must find it, the others must see it.
                _sent = null;
                _logMayHaveMoved = true;
                throw;
            }

            if (outcome is AppendOutcome.SeqTaken)
            {
                // Only possible if another writer appended: read what it holds (a resend may be among it), then
                // take the next seq.
                _logMayHaveMoved = true;
                if (attempt > 0)
                {
                    throw new InvalidOperationException($"Session {SessionId}: seq {seq} is taken twice in a row.");
                }

                _logger.LogWarning("Session {SessionId}: seq {Seq} was taken; reading the log on from {LastSeq}", SessionId, seq, _lastSeq);
                continue;
            }

            _lastSeq = seq;
            if (clientMsgId is not null)
            {
                _sent?.Add(sentKey);
            }

            var stored = new SessionEventDto(SessionId, seq, at, sender, kind, body.Element);
            await PublishAsync(stored);
            return (stored, null);
        }
    }

    /// <summary>
    /// If an append failed or found its seq taken, takes the log's events after <see cref="_lastSeq"/> as appended
    /// (each pushed and given to the sinks, a state change among them made the state) before anything that
    /// depends on the log or the state.
    /// </summary>
    private async Task CatchUpWithLogAsync()
    {
        if (!_logMayHaveMoved)
        {
            return;
        }

        var stored = await _store.ReadAsync(SessionId, _lastSeq, int.MaxValue);
        _sent = null;
        _logMayHaveMoved = false;
        var stateChanged = false;
        foreach (var e in stored)
        {
            _lastSeq = e.Seq;
            _logger.LogWarning("Session {SessionId}: seq {Seq} committed although its append failed; published now", SessionId, e.Seq);
            if (e.Kind == EventKinds.System && e.Body.TryGetProperty("action", out var action) && action.ValueEquals(SystemEvents.State))
            {
                stateChanged |= await TakeStateFromLogAsync(e);
            }

            await PublishAsync(e);
        }

        if (stateChanged)
        {
            await BroadcastStateAsync();
            await TellClientAndStaffAsync();
        }
    }

    private async Task PublishAsync(SessionEventDto stored)
    {
        await _observers.Notify(o => o.OnSessionEvent(stored));
        await RunSinksAsync(stored);
    }

    /// <summary>The ack of what this sender stored earlier under this clientMsgId, if anything.</summary>
    private async Task<SendAck?> FindSentAsync(string senderId, string clientMsgId, ulong sentKey)
    {
        // Read after _lastSeq (on activation or after a taken seq), so it holds at least everything up to it.
        _sent ??= new SentMessageIds(await _store.ReadClientMsgIdsAsync(SessionId));
        return _sent.MayContain(sentKey)
            ? await _store.FindByClientMsgIdAsync(SessionId, senderId, clientMsgId)
            : null;
    }

    private async Task RunSinksAsync(SessionEventDto stored, bool redelivered = false)
    {
        if (_sinks.Length == 0)
        {
            return;
        }

        var persisted = new PersistedSessionEvent(stored, S.ClientId, S.FamilyOnly, S.State, redelivered);
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.OnEventPersistedAsync(persisted, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Never the body: the exception type and the position in the log are enough to find it.
                _logger.LogError("Session event sink {Sink} failed on {SessionId}/{Seq}: {Error}", sink.GetType().Name, SessionId, stored.Seq, ex.GetType().Name);
            }
        }
    }

    private Task BroadcastStateAsync()
    {
        var dto = new SessionStateDto(SessionId, S.State, Participants());
        var (atSeq, change) = (_lastSeq, ++_stateChanges);
        return _observers.Notify(o => o.OnSessionState(dto, atSeq, change));
    }

    private Task NotifyClientAsync() =>
        GrainFactory.GetGrain<IClientGrain>(S.ClientId)
            .SessionChanged(new ClientSessionSummary(SessionId, S.State, S.ScheduledAt, S.CreatedAt, S.FamilyOnly));

    private IReadOnlyList<ParticipantDto> Participants() =>
        [.. S.Participants.Select(p => new ParticipantDto(p.Id, p.Role, p.DisplayName, _connections.ContainsKey(p.Id)))];

    private SessionDto ToDto() =>
        new(SessionId, S.ClientId, S.State, S.ScheduledAt, S.CreatedAt, S.EndedAt, S.FamilyOnly, Participants(), _lastSeq);

    // Stored with millisecond precision: the ack carries the same instant as every later read of the event.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    private void EnsureCreated()
    {
        if (!S.Created)
        {
            DeactivateOnIdle();
            throw ConsultationRuleException.NotFound("The session");
        }
    }
}

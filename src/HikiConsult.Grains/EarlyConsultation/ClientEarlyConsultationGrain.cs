using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Orleans;
using Orleans.Runtime;
using HikiConsult.Contracts;
using HikiConsult.Domain;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Research;
using HikiConsult.Domain.Risk;
using HikiConsult.Domain.Triage;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// One client's early consultation record. Alerts are rows in the store (the truth, reloaded on activation) and
/// are kept here while unacknowledged, with one grain timer armed for the earliest escalation deadline and, while an
/// alert waits for it, an Orleans reminder: the timer lives in the activation, the reminder in the reminder table, so
/// an escalation still happens if the process or the silo that held the activation dies. Analytics
/// fold every session event into a bounded state, once each by its seq; what was not written when the process died is
/// read from the session logs again on activation. Triage signals go to the clinic's triage grain whenever the
/// client's triage result changes. Calls to other grains that could call back are one way, so no call cycle can wait
/// on itself.
/// </summary>
[GrainType("client-early-consultation")]
public sealed partial class ClientEarlyConsultationGrain(
    [PersistentState("earlyConsultation", "Default")] IPersistentState<ClientEarlyConsultationState> state,
    IEarlyConsultationStore store,
    ISessionEventStore sessionEvents,
    InstrumentCatalog catalog,
    IOptions<EarlyConsultationOptions> options,
    IOptions<TriageWeights> triageWeights,
    TimeProvider time,
    ILogger<ClientEarlyConsultationGrain> logger) : Grain, IClientEarlyConsultationGrain, IRemindable
{
    public const int MaxListLimit = 500;

    /// <summary>The reminder that wakes the grain for escalation when its activation (and so its timer) was lost.</summary>
    public const string EscalationReminder = "escalation";

    /// <summary>Events read per query when a session log is read on after a restart.</summary>
    private const int CatchUpPageSize = 500;

    private readonly List<RiskAlertDto> _unacknowledged = [];

    /// <summary>Open sessions with the seq of the last event applied; copied into the state on every write.</summary>
    private readonly Dictionary<string, long> _openSessions = new(StringComparer.Ordinal);

    /// <summary>
    /// The <see cref="ClosedSessionsKept"/> sessions closed most recently, kept with the state; nothing of theirs is
    /// applied again. A close can reach the grain twice: the session's one-way call that activates the grain arrives
    /// after the activation's catch-up read the same close from the log (the client's list still had the session
    /// open); and a process that died after the session's state write but before the client's grain heard of it
    /// leaves the session listed open, so the next activation would read its whole log again. A closed session is no
    /// longer in <see cref="_openSessions"/>, so without this it would count twice. Nothing the analytics take
    /// follows a close in a session's log.
    /// </summary>
    private readonly HashSet<string> _closedSessions = new(StringComparer.Ordinal);
    private readonly Queue<string> _closedOrder = new();
    private ClientDto? _client;
    private IGrainTimer? _escalationTimer;

    /// <summary>Whether the escalation reminder is registered, as far as this activation knows (null: not looked up yet).</summary>
    private bool? _escalationReminderRegistered;
    private IGrainTimer? _writeTimer;
    private Random? _writeSpread;
    private bool _writePending;

    /// <summary>Set by <see cref="Erase"/>: nothing held back may be written after it.</summary>
    private bool _erased;
    private bool _triagePending;
    private string? _lastTriageSignature;
    private EngagementStateBuilder? _analytics;

    private string ClientId => this.GetPrimaryKeyString();

    private EarlyConsultationOptions Options => options.Value;

    private ClientEarlyConsultationState S => state.State;

    /// <summary>The analytics as they stand (the stored state lags behind by up to the write delay).</summary>
    private EngagementState Engagement => _analytics?.ToState() ?? S.Engagement ?? EngagementState.Create(_client?.TimeZone ?? "UTC");

    /// <summary>Where events are applied, from the first one of this activation on.</summary>
    private EngagementStateBuilder Analytics => _analytics ??= new EngagementStateBuilder(Engagement);

    private IEarlyConsultationNotifierGrain Notifier => GrainFactory.GetGrain<IEarlyConsultationNotifierGrain>(EarlyConsultationOptions.DefaultClinic);

    private ITriageGrain Triage => GrainFactory.GetGrain<ITriageGrain>(EarlyConsultationOptions.DefaultClinic);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _client = await GrainFactory.GetGrain<IClientGrain>(ClientId).Get();
        if (_client is null)
        {
            return;
        }

        // The client's time zone is the client record's; later events are read in the new zone.
        if (S.Engagement is { } engagement && engagement.TimeZoneId != _client.TimeZone)
        {
            Analytics.Apply(new ClientTimeZoneChanged(_client.TimeZone, Now()));
        }

        _unacknowledged.AddRange(await store.ListUnacknowledgedAlertsAsync(ClientId, cancellationToken));
        ArmEscalation();
        await CatchUpWithSessionLogsAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushDeferredAsync();

    public Task Wake() => Task.CompletedTask;

    public async Task Erase()
    {
        _erased = true;
        _writeTimer?.Dispose();
        _escalationTimer?.Dispose();
        _unacknowledged.Clear();
        if (await this.GetReminder(EscalationReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }

    // ---- Risk alerts ----

    public async Task<RiskAlertDto?> RaiseAlert(RiskAlertRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_client is null)
        {
            DeactivateOnIdle();
            return null;
        }

        if (request.Matches.Count == 0)
        {
            throw SessionRuleException.Invalid("An alert needs at least one match.");
        }

        var primary = request.Matches.OrderBy(m => Urgency(m.Category)).First();
        // The level is the highest step any hit shows, and its pattern says why; the category stays the most urgent one.
        var graded = request.Matches.OrderByDescending(m => LevelRank(m.Level)).ThenBy(m => Urgency(m.Category)).First();
        var alert = new RiskAlertDto(
            RiskAlertIds.For(request.SessionId, request.Seq),
            ClientId,
            _client.Alias,
            request.SessionId,
            request.Seq,
            primary.Category,
            primary.Language,
            [.. request.Matches.Select(m => m.Evidence).Distinct(StringComparer.Ordinal)],
            Now(),
            RiskAlertStatuses.Open,
            AcknowledgedAt: null,
            AcknowledgedBy: null,
            EscalatedAt: null,
            RiskDetector.Source,
            DecisionSupport.Label,
            LevelRank(graded.Level) > 0 ? graded.Level : RiskAlertLevels.None,
            LevelRank(graded.Level) > 0 ? graded.Pattern : RiskAlertDto.LexiconPattern);

        // Durable before anyone is told; the (session, seq) key makes a repeat a no-op.
        if (!await store.AddAlertAsync(alert))
        {
            return await store.FindAlertForMessageAsync(request.SessionId, request.Seq);
        }

        _unacknowledged.Add(alert);
        AlertRaised(logger, alert.AlertId, ClientId, request.SessionId, request.Seq, request.SenderRole);
        var counselors = await AssignedCounselorsAsync();
        await Notifier.PublishRiskAlert(alert, counselors);
        ArmEscalation();
        await SyncEscalationReminderAsync();
        await UpdateTriageAsync(refreshClient: false);
        return alert;
    }

    public async Task<RiskAlertDto> AcknowledgeAlert(string alertId, string acknowledgedBy, string? note)
    {
        EnsureClient();
        var index = _unacknowledged.FindIndex(a => a.AlertId == alertId);
        if (index < 0)
        {
            var stored = await store.FindAlertAsync(alertId);
            return stored is { Status: RiskAlertStatuses.Acknowledged } && stored.ClientId == ClientId
                ? stored
                : throw SessionRuleException.NotFound("The alert");
        }

        var acknowledged = _unacknowledged[index] with
        {
            Status = RiskAlertStatuses.Acknowledged,
            AcknowledgedAt = Now(),
            AcknowledgedBy = acknowledgedBy,
        };
        await store.UpdateAlertAsync(acknowledged, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        _unacknowledged.RemoveAt(index);
        AlertAcknowledged(logger, alertId, ClientId, acknowledgedBy);
        await Notifier.PublishAlertUpdated(acknowledged, await AssignedCounselorsAsync());
        ArmEscalation();
        await SyncEscalationReminderAsync();
        await UpdateTriageAsync(refreshClient: false);
        return acknowledged;
    }

    private async Task EscalateDueAlertsAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        var due = _unacknowledged
            .Where(a => a.Status == RiskAlertStatuses.Open && a.CreatedAt + Options.AlertAcknowledgeTimeout <= now)
            .ToArray();
        if (due.Length > 0)
        {
            var counselors = await AssignedCounselorsAsync();
            foreach (var alert in due)
            {
                var escalated = alert with { Status = RiskAlertStatuses.Escalated, EscalatedAt = now };
                await store.UpdateAlertAsync(escalated, null, cancellationToken);
                _unacknowledged[_unacknowledged.IndexOf(alert)] = escalated;
                AlertEscalated(logger, alert.AlertId, ClientId, Options.AlertAcknowledgeTimeout);
                await Notifier.PublishAlertUpdated(escalated, counselors);
            }

            await UpdateTriageAsync(refreshClient: false);
        }

        ArmEscalation();
        await SyncEscalationReminderAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != EscalationReminder)
        {
            return;
        }

        // Activation has loaded the open alerts; what is due escalates now, and the reminder goes once none waits.
        _escalationReminderRegistered = true;
        await EscalateDueAlertsAsync(CancellationToken.None);
    }

    /// <summary>
    /// Registers the escalation reminder for the earliest deadline while an alert waits for escalation, and removes it
    /// when none does. It ticks every <see cref="EscalationReminderPeriod"/> after the deadline until then.
    /// </summary>
    private async Task SyncEscalationReminderAsync()
    {
        var open = _unacknowledged.Where(a => a.Status == RiskAlertStatuses.Open).ToArray();
        if (open.Length > 0)
        {
            var dueIn = open.Min(a => a.CreatedAt) + Options.AlertAcknowledgeTimeout - time.GetUtcNow();
            await this.RegisterOrUpdateReminder(EscalationReminder, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, EscalationReminderPeriod);
            _escalationReminderRegistered = true;
            return;
        }

        if (_escalationReminderRegistered != false && await this.GetReminder(EscalationReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _escalationReminderRegistered = false;
    }

    /// <summary>Orleans' shortest reminder period: the reminder is a safety net after a lost activation, the timer is the clock.</summary>
    private static readonly TimeSpan EscalationReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>One timer for the earliest deadline of the alerts still open; none when there is nothing to escalate.</summary>
    private void ArmEscalation()
    {
        var open = _unacknowledged.Where(a => a.Status == RiskAlertStatuses.Open).ToArray();
        if (open.Length == 0)
        {
            _escalationTimer?.Dispose();
            _escalationTimer = null;
            return;
        }

        var deadline = open.Min(a => a.CreatedAt) + Options.AlertAcknowledgeTimeout;
        var dueIn = deadline - time.GetUtcNow();
        if (dueIn < TimeSpan.Zero)
        {
            dueIn = TimeSpan.Zero;
        }

        if (_escalationTimer is null)
        {
            _escalationTimer = this.RegisterGrainTimer(EscalateDueAlertsAsync, new GrainTimerCreationOptions(dueIn, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _escalationTimer.Change(dueIn, Timeout.InfiniteTimeSpan);
        }

        // Stay active until the deadline has passed: the timer lives in this activation.
        DelayDeactivation(dueIn + TimeSpan.FromMinutes(1));
    }

    // ---- Session-history analytics ----

    public async Task RecordSessionEvent(SessionEventDto sessionEvent)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        if (_client is null)
        {
            DeactivateOnIdle();
            return;
        }

        // Orleans promises no order for this one-way call: an event after a gap takes the events before it from the
        // log first, so each is counted once and in order whatever order the calls arrive in.
        var write = await ApplyLogBeforeAsync(sessionEvent);
        var own = Apply(sessionEvent);
        switch (own > write ? own : write)
        {
            case AnalyticsWrite.Behind:
                _triagePending = true;
                ScheduleWrite();
                break;
            case AnalyticsWrite.AtOnce:
                await WriteStateAsync();
                await UpdateTriageAsync(refreshClient: false);
                break;
        }
    }

    /// <summary>
    /// Applies the events of the session's log between the last one applied and <paramref name="e"/>, if any may be
    /// missing: events the analytics do not take are never sent here, so a gap is only known by reading.
    /// </summary>
    private async Task<AnalyticsWrite> ApplyLogBeforeAsync(SessionEventDto e)
    {
        if (_closedSessions.Contains(e.SessionId))
        {
            return AnalyticsWrite.None;
        }

        var applied = _openSessions.TryGetValue(e.SessionId, out var seq) ? seq : 0;
        if (e.Seq <= applied + 1)
        {
            return AnalyticsWrite.None;
        }

        var write = AnalyticsWrite.None;
        foreach (var earlier in await sessionEvents.ReadAsync(e.SessionId, applied, checked((int)(e.Seq - 1 - applied))))
        {
            if (SessionEngagement.Concerns(earlier))
            {
                var needed = Apply(earlier);
                write = needed > write ? needed : write;
            }
        }

        return write;
    }

    /// <summary>How many recently closed sessions are kept (a client has a few sessions a week).</summary>
    private const int ClosedSessionsKept = 64;

    /// <summary>Applies one session event, unless the analytics hold it already, and says when it must be written.</summary>
    private AnalyticsWrite Apply(SessionEventDto e)
    {
        var known = _openSessions.TryGetValue(e.SessionId, out var appliedSeq);
        if ((known && e.Seq <= appliedSeq) || _closedSessions.Contains(e.SessionId))
        {
            return AnalyticsWrite.None;
        }

        var activity = SessionEngagement.Activity(e);
        if (activity is not null)
        {
            try
            {
                Analytics.Apply(activity);
            }
            catch (InvalidRecordException ex)
            {
                ActivityRejected(logger, ClientId, activity.GetType().Name, ex.Message);
            }
        }

        var closes = SessionEngagement.Closes(e);
        if (closes)
        {
            _openSessions.Remove(e.SessionId);
            RememberClosed(e.SessionId);
        }
        else
        {
            _openSessions[e.SessionId] = e.Seq;
        }

        // Messages are frequent: written behind, once per write delay, with triage; a crash loses nothing of them,
        // as the next activation reads them from the log again. A session's first event and its close change which
        // logs that read covers, and attendance changes triage: those are rare and written at once.
        if (!known || closes || Options.AnalyticsWriteDelay == TimeSpan.Zero)
        {
            return AnalyticsWrite.AtOnce;
        }

        return activity is null or ClientMessageSent or CounselorMessageSent ? AnalyticsWrite.Behind : AnalyticsWrite.AtOnce;
    }

    /// <summary>
    /// Applies what the client's session logs hold beyond the written analytics (what a crash left unwritten): each
    /// session open at the last write from where it stood, and each session open now that it did not know from its
    /// start. Sessions that were closed by then were written with their close.
    /// </summary>
    private async Task CatchUpWithSessionLogsAsync(CancellationToken cancellationToken)
    {
        var sessions = await GrainFactory.GetGrain<IClientGrain>(ClientId).GetSessions();
        var openNow = sessions.Where(s => s.IsOpen && !s.FamilyOnly).Select(s => s.SessionId).ToList();
        if (S.OpenSessions is null && S.Engagement is not null)
        {
            // Written before positions were kept: it holds everything up to that write, how far is unknown.
            // Counting goes on from each open log's end.
            foreach (var sessionId in openNow)
            {
                _openSessions[sessionId] = await sessionEvents.GetLastSeqAsync(sessionId, cancellationToken);
            }

            await WriteStateAsync();
            return;
        }

        foreach (var (sessionId, seq) in S.OpenSessions ?? ImmutableDictionary<string, long>.Empty)
        {
            _openSessions[sessionId] = seq;
        }

        foreach (var sessionId in S.ClosedSessions ?? [])
        {
            RememberClosed(sessionId);
        }

        var write = AnalyticsWrite.None;
        foreach (var sessionId in _openSessions.Keys.Union(openNow).Where(id => !_closedSessions.Contains(id)).ToList())
        {
            var afterSeq = _openSessions.GetValueOrDefault(sessionId);
            IReadOnlyList<SessionEventDto> page;
            do
            {
                page = await sessionEvents.ReadAsync(sessionId, afterSeq, CatchUpPageSize, cancellationToken);
                foreach (var e in page.Where(SessionEngagement.Concerns))
                {
                    var needed = Apply(e);
                    write = needed > write ? needed : write;
                }

                afterSeq = page.Count > 0 ? page[^1].Seq : afterSeq;
            }
            while (page.Count == CatchUpPageSize);
        }

        if (write == AnalyticsWrite.AtOnce)
        {
            await WriteStateAsync();
        }

        if (write != AnalyticsWrite.None)
        {
            // Triage calls grains that may call this one: not from activation, but with the next write.
            _triagePending = true;
            ScheduleWrite();
        }
    }

    public Task<Timeline> GetTimeline()
    {
        EnsureClient();
        return Task.FromResult(Timeline.Project(Engagement, Now(), catalog));
    }

    private void ScheduleWrite()
    {
        if (_writePending)
        {
            return;
        }

        _writePending = true;
        var delay = NextWriteDelay();
        if (_writeTimer is null)
        {
            _writeTimer = this.RegisterGrainTimer(_ => FlushDeferredAsync(), new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _writeTimer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Between half and all of <see cref="EarlyConsultationOptions.AnalyticsWriteDelay"/>: clients whose sessions got
    /// busy at the same moment would otherwise write (and update triage) in the same instant, every delay, as one
    /// burst that holds up the relay. Seeded by the client id, so that a simulated run repeats exactly.
    /// </summary>
    private TimeSpan NextWriteDelay()
    {
        _writeSpread ??= new Random(StableSeed(ClientId));
        return Options.AnalyticsWriteDelay * (0.5 + (0.5 * _writeSpread.NextDouble()));
    }

    private static int StableSeed(string text)
    {
        // FNV-1a: string.GetHashCode differs from process to process.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private void RememberClosed(string sessionId)
    {
        if (!_closedSessions.Add(sessionId))
        {
            return;
        }

        _closedOrder.Enqueue(sessionId);
        if (_closedOrder.Count > ClosedSessionsKept)
        {
            _closedSessions.Remove(_closedOrder.Dequeue());
        }
    }

    private async Task WriteStateAsync()
    {
        _writePending = false;
        state.State = S with
        {
            Engagement = _analytics?.ToState() ?? S.Engagement,
            OpenSessions = _openSessions.ToImmutableDictionary(StringComparer.Ordinal),
            ClosedSessions = [.. _closedOrder],
        };
        await state.WriteStateAsync();
    }

    private async Task FlushDeferredAsync()
    {
        if (_erased)
        {
            return;
        }

        if (_writePending)
        {
            await WriteStateAsync();
        }

        if (_triagePending)
        {
            await UpdateTriageAsync(refreshClient: false);
        }
    }

    // ---- Clinical records ----

    public async Task<AssessmentRecord> SubmitAssessment(AssessmentSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        EnsureClient();
        if (!CompletedBy.All.Contains(submission.CompletedBy))
        {
            throw SessionRuleException.Invalid($"'completedBy' must be one of: {string.Join(", ", CompletedBy.All)}.");
        }

        var result = catalog.Score(submission.Instrument, submission.Answers);
        var now = Now();
        var record = AssessmentRecord.From(RiskAlertIds.NewRecordId("as"), ClientId, submission, result, now);
        await store.AddRecordAsync(ClinicalRecordKinds.Assessment, ClientId, record.Id, now, record);

        Analytics.Apply(new AssessmentScored(result.Instrument, result.Total, result.Band, result.Cutoff, now));
        if (result.Instrument == InstrumentIds.Phq9 && result.AnswerTo(9) is { } item9)
        {
            state.State = S with { Phq9Item9 = new ItemAnswerObservation(item9, now) };
        }
        await WriteStateAsync();
        RecordKept(logger, ClinicalRecordKinds.Assessment, record.Id, ClientId);
        await UpdateTriageAsync(refreshClient: true);
        return record;
    }

    public async Task<IsolationRecordEntry> RecordIsolation(IsolationRecord record, string recordedBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        EnsureClient();
        var classification = KatoClassifier.Classify(record);
        var now = Now();
        var entry = new IsolationRecordEntry(
            RiskAlertIds.NewRecordId("ir"),
            ClientId,
            now,
            recordedBy,
            record with { CoOccurringConditions = classification.CoOccurringConditions },
            classification);
        await store.AddRecordAsync(ClinicalRecordKinds.Isolation, ClientId, entry.Id, now, entry);

        Analytics.Apply(new KatoStatusRecorded(classification.Status, classification.Severity, now));
        await WriteStateAsync();
        RecordKept(logger, ClinicalRecordKinds.Isolation, entry.Id, ClientId);
        await UpdateTriageAsync(refreshClient: true);
        return entry;
    }

    public async Task<BiomarkerEntry> AddBiomarker(BiomarkerRecord record, string recordedBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        EnsureClient();
        var now = Now();
        var today = DateOnly.FromDateTime(ClientTime.Local(now, _client!.TimeZone));
        var normalized = BiomarkerRecords.Normalize(record, today);
        var shown = BiomarkerRecords.Present(normalized);
        var entry = new BiomarkerEntry(
            RiskAlertIds.NewRecordId("bm"), ClientId, now, recordedBy, shown.Record, shown.AnalyteName, shown.Finding, shown.Caveat, shown.Source, shown.Label);

        // Research data only: kept and shown, never folded into analytics or triage.
        await store.AddRecordAsync(ClinicalRecordKinds.Biomarker, ClientId, entry.Id, now, entry);
        RecordKept(logger, ClinicalRecordKinds.Biomarker, entry.Id, ClientId);
        return entry;
    }

    public Task<IReadOnlyList<AssessmentRecord>> GetAssessments(int limit) => ListAsync<AssessmentRecord>(ClinicalRecordKinds.Assessment, limit);

    public Task<IReadOnlyList<IsolationRecordEntry>> GetIsolationRecords(int limit) => ListAsync<IsolationRecordEntry>(ClinicalRecordKinds.Isolation, limit);

    public Task<IReadOnlyList<BiomarkerEntry>> GetBiomarkers(int limit) => ListAsync<BiomarkerEntry>(ClinicalRecordKinds.Biomarker, limit);

    private Task<IReadOnlyList<T>> ListAsync<T>(string kind, int limit)
    {
        EnsureClient();
        return store.ListRecordsAsync<T>(kind, ClientId, Math.Clamp(limit, 1, MaxListLimit));
    }

    // ---- Triage ----

    public async Task<TriageSubject?> GetTriageSubject()
    {
        if (_client is null)
        {
            DeactivateOnIdle();
            return null;
        }

        var subject = await SubjectAsync(refreshClient: true);
        _lastTriageSignature = Signature(subject);
        return subject;
    }

    /// <summary>Sends the client's signals to the triage grain when its result (score, reasons, data) changed.</summary>
    private async Task UpdateTriageAsync(bool refreshClient)
    {
        _triagePending = false;
        var subject = await SubjectAsync(refreshClient);
        var signature = Signature(subject);
        if (signature == _lastTriageSignature)
        {
            return;
        }

        _lastTriageSignature = signature;
        await Triage.Update(subject);
    }

    private async Task<TriageSubject> SubjectAsync(bool refreshClient)
    {
        if (refreshClient)
        {
            _client = await GrainFactory.GetGrain<IClientGrain>(ClientId).Get() ?? _client;
        }

        var now = Now();
        var inputs = new ClientTriageInputs
        {
            ClientId = ClientId,
            UnacknowledgedAlerts = [.. _unacknowledged.Select(a => new OpenRiskAlert(
                a.AlertId, Enum.Parse<RiskCategory>(a.Category, ignoreCase: true), a.CreatedAt, a.Status == RiskAlertStatuses.Escalated))],
            Phq9Item9 = S.Phq9Item9,
        }.WithEngagement(Engagement, now);
        return new TriageSubject(ClientId, _client!.Alias, _client.AssignedCounselorIds, inputs);
    }

    /// <summary>What makes a triage update worth sending: the result as a counselor reads it, and the day of last contact.</summary>
    private string Signature(TriageSubject subject)
    {
        var result = TriageScorer.Score(subject.Inputs, triageWeights.Value, Now());
        var text = new StringBuilder();
        text.Append(subject.ClientAlias).Append('|').AppendJoin(',', subject.AssignedCounselorIds).Append('|');
        text.Append(result.Score.ToString("F0", CultureInfo.InvariantCulture)).Append('|');
        foreach (var reason in result.Reasons)
        {
            text.Append(reason.Code).Append(':').Append(reason.Data).Append(';');
        }

        text.Append('|').Append(subject.Inputs.LastContactAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    // ---- Helpers ----

    private async Task<IReadOnlyList<string>> AssignedCounselorsAsync()
    {
        _client = await GrainFactory.GetGrain<IClientGrain>(ClientId).Get() ?? _client;
        return _client?.AssignedCounselorIds ?? [];
    }

    private void EnsureClient()
    {
        if (_client is null)
        {
            DeactivateOnIdle();
            throw SessionRuleException.NotFound("The client");
        }
    }

    private static int Urgency(string category) => Enum.TryParse<RiskCategory>(category, ignoreCase: true, out var c)
        ? c switch
        {
            RiskCategory.PlanOrMeans => 0,
            RiskCategory.Suicide => 1,
            RiskCategory.SelfHarm => 2,
            _ => 3,
        }
        : 4;

    /// <summary>The C-SSRS screener step of a level's wire name (Posner et al. 2011); 0 for none or an unknown name.</summary>
    private static int LevelRank(string level) => Enum.TryParse<RiskLevel>(level, ignoreCase: true, out var l) && Enum.IsDefined(l) ? (int)l : 0;

    // Stored with millisecond precision, like session events: what is returned equals what is read back later.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>When an applied session event must be written (ordered: the larger need wins).</summary>
    private enum AnalyticsWrite
    {
        None,
        Behind,
        AtOnce,
    }

    // The category is clinical content: it is in the alert store and the audit, never in the log.
    [LoggerMessage(1, LogLevel.Warning, "Risk alert {AlertId} raised for client {ClientId} on {SessionId}/{Seq} (sender role {SenderRole})")]
    private static partial void AlertRaised(ILogger logger, string alertId, string clientId, string sessionId, long seq, string senderRole);

    [LoggerMessage(2, LogLevel.Information, "Risk alert {AlertId} of client {ClientId} acknowledged by {UserId}")]
    private static partial void AlertAcknowledged(ILogger logger, string alertId, string clientId, string userId);

    [LoggerMessage(3, LogLevel.Warning, "Risk alert {AlertId} of client {ClientId} not acknowledged within {Timeout}: escalated to supervisors")]
    private static partial void AlertEscalated(ILogger logger, string alertId, string clientId, TimeSpan timeout);

    [LoggerMessage(4, LogLevel.Information, "Clinical record kept: {Kind} {RecordId} of client {ClientId}")]
    private static partial void RecordKept(ILogger logger, string kind, string recordId, string clientId);

    [LoggerMessage(5, LogLevel.Warning, "Session-history event {EventType} for client {ClientId} not applied: {Reason}")]
    private static partial void ActivityRejected(ILogger logger, string clientId, string eventType, string reason);
}

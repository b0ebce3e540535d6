using HikiConsult.Contracts;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Research;
using HikiConsult.Domain.Triage;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// One client's early consultation record: the Orleans-facing shell of its four jobs, each in a type of its own
/// (<see cref="ClientRiskAlerts"/>, <see cref="ClientEngagementAnalytics"/>, <see cref="ClientClinicalRecords"/>,
/// <see cref="ClientTriageSignals"/>). The grain holds what needs the runtime: the client's record, the state and its
/// writes, the timers and the reminder, and the calls to other grains. Unacknowledged alerts arm one grain timer for the
/// earliest escalation deadline and, while an alert waits for it, an Orleans reminder: the timer lives in the
/// activation, the reminder in the reminder table, so an escalation still happens if the process or the silo that held
/// the activation dies. Message counts are written behind by a timer; what was not written when the process died is
/// read from the session logs again on activation. Triage signals go to the clinic's triage grain whenever the
/// client's triage result changes. Calls to other grains that could call back are one way, so no call cycle can wait
/// on itself.
/// </summary>
[GrainType(GrainTypeName)]
public sealed class ClientEarlyConsultationGrain : Grain, IClientEarlyConsultationGrain, IRemindable
{
    public const string GrainTypeName = "client-early-consultation";

    public const int MaxListLimit = 500;

    /// <summary>The reminder that wakes the grain for escalation when its activation (and so its timer) was lost.</summary>
    public const string EscalationReminder = "escalation";

    /// <summary>Orleans' shortest reminder period: the reminder is a safety net after a lost activation, the timer is the clock.</summary>
    private static readonly TimeSpan EscalationReminderPeriod = TimeSpan.FromMinutes(1);

    private readonly IPersistentState<ClientEarlyConsultationState> _state;
    private readonly InstrumentCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ClientRiskAlerts _alerts;
    private readonly ClientEngagementAnalytics _analytics;
    private readonly ClientClinicalRecords _records;
    private readonly ClientTriageSignals _triage;

    private ClientDto? _client;
    private IGrainTimer? _escalationTimer;

    /// <summary>Whether the escalation reminder is registered, as far as this activation knows (null: not looked up yet).</summary>
    private bool? _escalationReminderRegistered;
    private IGrainTimer? _writeTimer;
    private bool _writePending;

    /// <summary>Set by <see cref="Erase"/>: nothing held back may be written after it.</summary>
    private bool _erased;
    private bool _triagePending;

    public ClientEarlyConsultationGrain(
        [PersistentState("earlyConsultation", "Default")] IPersistentState<ClientEarlyConsultationState> state,
        IEarlyConsultationStore store,
        ISessionEventStore sessionEvents,
        InstrumentCatalog catalog,
        IOptions<EarlyConsultationOptions> options,
        IOptions<TriageWeights> triageWeights,
        TimeProvider time,
        ILogger<ClientEarlyConsultationGrain> logger)
    {
        _state = state;
        _catalog = catalog;
        _time = time;
        var clientId = this.GetPrimaryKeyString();
        _alerts = new ClientRiskAlerts(clientId, store, options.Value, logger);
        _analytics = new ClientEngagementAnalytics(clientId, state, sessionEvents, options.Value, logger);
        _records = new ClientClinicalRecords(clientId, store, catalog, logger);
        _triage = new ClientTriageSignals(clientId, triageWeights.Value);
    }

    private string ClientId => this.GetPrimaryKeyString();

    private ClientEarlyConsultationState S => _state.State;

    private IEarlyConsultationNotifierGrain Notifier => GrainFactory.GetGrain<IEarlyConsultationNotifierGrain>(EarlyConsultationOptions.DefaultClinic);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _client = await GrainFactory.GetGrain<IClientGrain>(ClientId).Get();
        if (_client is null)
        {
            return;
        }

        _analytics.Start(_client.TimeZone, Now());
        await _alerts.LoadAsync(cancellationToken);
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
        _alerts.Clear();
        if (await this.GetReminder(EscalationReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        if (_state.RecordExists)
        {
            await _state.ClearStateAsync();
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

        var (alert, raised) = await _alerts.RaiseAsync(request, _client.Alias, Now());
        if (!raised)
        {
            return alert;
        }

        await Notifier.PublishRiskAlert(alert!, await AssignedCounselorsAsync());
        await OnAlertsChangedAsync();
        return alert;
    }

    public async Task<RiskAlertDto> AcknowledgeAlert(string alertId, string acknowledgedBy, string? note)
    {
        EnsureClient();
        var (alert, changed) = await _alerts.AcknowledgeAsync(alertId, acknowledgedBy, note, Now());
        if (!changed)
        {
            return alert;
        }

        await Notifier.PublishAlertUpdated(alert, await AssignedCounselorsAsync());
        await OnAlertsChangedAsync();
        return alert;
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

    private async Task OnAlertsChangedAsync()
    {
        ArmEscalation();
        await SyncEscalationReminderAsync();
        await UpdateTriageAsync(refreshClient: false);
    }

    private async Task EscalateDueAlertsAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        var due = _alerts.DueForEscalation(now);
        if (due.Count > 0)
        {
            var counselors = await AssignedCounselorsAsync();
            foreach (var alert in due)
            {
                var escalated = await _alerts.EscalateAsync(alert, now, cancellationToken);
                await Notifier.PublishAlertUpdated(escalated, counselors);
            }

            await UpdateTriageAsync(refreshClient: false);
        }

        ArmEscalation();
        await SyncEscalationReminderAsync();
    }

    /// <summary>
    /// Registers the escalation reminder for the earliest deadline while an alert waits for escalation, and removes it
    /// when none does. It ticks every <see cref="EscalationReminderPeriod"/> after the deadline until then.
    /// </summary>
    private async Task SyncEscalationReminderAsync()
    {
        if (_alerts.NextEscalationAt is { } deadline)
        {
            var dueIn = deadline - _time.GetUtcNow();
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

    /// <summary>One timer for the earliest deadline of the alerts still open; none when there is nothing to escalate.</summary>
    private void ArmEscalation()
    {
        if (_alerts.NextEscalationAt is not { } deadline)
        {
            _escalationTimer?.Dispose();
            _escalationTimer = null;
            return;
        }

        var dueIn = deadline - _time.GetUtcNow();
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

        switch (await _analytics.RecordAsync(sessionEvent))
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

    public Task<Timeline> GetTimeline()
    {
        EnsureClient();
        return Task.FromResult(Timeline.Project(_analytics.Current, Now(), _catalog));
    }

    /// <summary>Applies what the client's session logs hold beyond the written analytics (see <see cref="ClientEngagementAnalytics.CatchUpAsync"/>).</summary>
    private async Task CatchUpWithSessionLogsAsync(CancellationToken cancellationToken)
    {
        var sessions = await GrainFactory.GetGrain<IClientGrain>(ClientId).GetSessions();
        var openNow = sessions.Where(s => s.IsOpen && !s.FamilyOnly).Select(s => s.SessionId).ToList();
        if (_analytics.WrittenWithoutPositions)
        {
            await _analytics.StartAtLogEndsAsync(openNow, cancellationToken);
            await WriteStateAsync();
            return;
        }

        var write = await _analytics.CatchUpAsync(openNow, cancellationToken);
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

    private void ScheduleWrite()
    {
        if (_writePending)
        {
            return;
        }

        _writePending = true;
        var delay = _analytics.NextWriteDelay();
        if (_writeTimer is null)
        {
            _writeTimer = this.RegisterGrainTimer(_ => FlushDeferredAsync(), new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _writeTimer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task WriteStateAsync()
    {
        _writePending = false;
        _state.State = _analytics.WrittenInto(S);
        await _state.WriteStateAsync();
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
        var now = Now();
        var (record, result) = await _records.KeepAssessmentAsync(submission, now);
        _analytics.Apply(new AssessmentScored(result.Instrument, result.Total, result.Band, result.Cutoff, now));
        if (result.Instrument == InstrumentIds.Phq9 && result.AnswerTo(9) is { } item9)
        {
            _state.State = S with { Phq9Item9 = new ItemAnswerObservation(item9, now) };
        }

        await WriteStateAsync();
        await UpdateTriageAsync(refreshClient: true);
        return record;
    }

    public async Task<IsolationRecordEntry> RecordIsolation(IsolationRecord record, string recordedBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        EnsureClient();
        var now = Now();
        var entry = await _records.KeepIsolationAsync(record, recordedBy, now);
        _analytics.Apply(new KatoStatusRecorded(entry.Classification.Status, entry.Classification.Severity, now));
        await WriteStateAsync();
        await UpdateTriageAsync(refreshClient: true);
        return entry;
    }

    public Task<BiomarkerEntry> AddBiomarker(BiomarkerRecord record, string recordedBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        EnsureClient();
        return _records.KeepBiomarkerAsync(record, recordedBy, _client!.TimeZone, Now());
    }

    public Task<IReadOnlyList<AssessmentRecord>> GetAssessments(int limit) => ListAsync<AssessmentRecord>(ClinicalRecordKinds.Assessment, limit);

    public Task<IReadOnlyList<IsolationRecordEntry>> GetIsolationRecords(int limit) => ListAsync<IsolationRecordEntry>(ClinicalRecordKinds.Isolation, limit);

    public Task<IReadOnlyList<BiomarkerEntry>> GetBiomarkers(int limit) => ListAsync<BiomarkerEntry>(ClinicalRecordKinds.Biomarker, limit);

    private Task<IReadOnlyList<T>> ListAsync<T>(string kind, int limit)
    {
        EnsureClient();
        return _records.ListAsync<T>(kind, limit);
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
        _triage.Changed(subject, Now());
        return subject;
    }

    /// <summary>Sends the client's signals to the triage grain when its result (score, reasons, data) changed.</summary>
    private async Task UpdateTriageAsync(bool refreshClient)
    {
        _triagePending = false;
        var subject = await SubjectAsync(refreshClient);
        if (_triage.Changed(subject, Now()))
        {
            await GrainFactory.GetGrain<ITriageGrain>(EarlyConsultationOptions.DefaultClinic).Update(subject);
        }
    }

    private async Task<TriageSubject> SubjectAsync(bool refreshClient)
    {
        if (refreshClient)
        {
            await RefreshClientAsync();
        }

        return _triage.Subject(_client!, _alerts.Unacknowledged, S.Phq9Item9, _analytics.Current, Now());
    }

    // ---- Helpers ----

    private async Task<IReadOnlyList<string>> AssignedCounselorsAsync() => (await RefreshClientAsync())?.AssignedCounselorIds ?? [];

    /// <summary>Reads the client's record again (assignments and alias change); keeps the one held if it is gone.</summary>
    private async Task<ClientDto?> RefreshClientAsync() => _client = await GrainFactory.GetGrain<IClientGrain>(ClientId).Get() ?? _client;

    private void EnsureClient()
    {
        if (_client is null)
        {
            DeactivateOnIdle();
            throw ConsultationRuleException.NotFound("The client");
        }
    }

    // Stored with millisecond precision, like session events: what is returned equals what is read back later.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
}

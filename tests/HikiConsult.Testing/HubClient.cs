using System.Diagnostics;
using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Testing;

/// <summary>
/// A real hub connection that records every push with the moment it arrived, and lets a test wait on the pushes
/// themselves (never on a sleep).
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly List<Received<SessionEventDto>> _events = [];
    private readonly List<Received<SessionStateDto>> _states = [];
    private readonly List<Received<RiskAlertDto>> _alerts = [];
    private readonly List<Received<RiskAlertDto>> _alertUpdates = [];
    private readonly List<Received<TriageQueueDto>> _triage = [];
    private readonly List<(Func<bool> Check, TaskCompletionSource Done)> _waiters = [];
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HubClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<SessionEventDto>(HubMethods.SessionEvent, e => Record(_events, e));
        connection.On<SessionStateDto>(HubMethods.SessionState, s => Record(_states, s));
        connection.On<RiskAlertDto>(EarlyConsultationHubMethods.RiskAlert, a => Record(_alerts, a));
        connection.On<RiskAlertDto>(EarlyConsultationHubMethods.AlertUpdated, a => Record(_alertUpdates, a));
        connection.On<TriageQueueDto>(EarlyConsultationHubMethods.TriageUpdated, q => Record(_triage, q));
        connection.Closed += ex =>
        {
            _closed.TrySetResult(ex);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public Task<Exception?> Closed => _closed.Task;

    public IReadOnlyList<SessionEventDto> Events => Values(_events);

    public IReadOnlyList<SessionStateDto> States => Values(_states);

    public IReadOnlyList<Received<RiskAlertDto>> RiskAlerts => Snapshot(_alerts);

    public IReadOnlyList<Received<RiskAlertDto>> AlertUpdates => Snapshot(_alertUpdates);

    public IReadOnlyList<Received<TriageQueueDto>> TriageUpdates => Snapshot(_triage);

    /// <summary>
    /// Returns once the server has finished setting up this connection (a hub call is dispatched only after the
    /// connection's start-up, including joining the push groups).
    /// </summary>
    public Task ReadyAsync() => RoundTripAsync();

    /// <summary>
    /// A call that changes nothing: returns once every push the server wrote to this connection before it has arrived
    /// (its result comes behind them). The sentinel for a connection that is to get no push at all.
    /// </summary>
    public Task RoundTripAsync() => Connection.InvokeAsync(HubMethods.LeaveSession, "se_ready");

    public Task<JoinSessionResult> JoinAsync(string sessionId, long afterSeq = 0) =>
        Connection.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, sessionId, afterSeq);

    public Task<SendAck> SendAsync(string sessionId, string kind, object body, string? clientMsgId = null) =>
        Connection.InvokeAsync<SendAck>(HubMethods.Send, sessionId,
            new SendRequest(clientMsgId ?? Guid.NewGuid().ToString("N"), kind, JsonSerializer.SerializeToElement(body, TestServerApp.Json)));

    public Task<SendAck> SendTextAsync(string sessionId, string text, string? clientMsgId = null) =>
        SendAsync(sessionId, EventKinds.Text, new { text }, clientMsgId);

    public Task<RiskAlertDto> AcknowledgeAsync(string alertId, string? note) =>
        Connection.InvokeAsync<RiskAlertDto>(EarlyConsultationHubMethods.AcknowledgeAlert, alertId, note);

    /// <summary>The first matching event.</summary>
    public async Task<SessionEventDto> WaitForEventAsync(Func<SessionEventDto, bool> match) =>
        (await WaitForAsync(_events, match, last: false)).Value;

    /// <summary>The latest matching state.</summary>
    public async Task<SessionStateDto> WaitForStateAsync(Func<SessionStateDto, bool> match) =>
        (await WaitForAsync(_states, match, last: true)).Value;

    public Task<Received<RiskAlertDto>> WaitForRiskAlertAsync(Func<RiskAlertDto, bool> match) => WaitForAsync(_alerts, match, last: false);

    public Task<Received<RiskAlertDto>> WaitForAlertUpdateAsync(Func<RiskAlertDto, bool> match) => WaitForAsync(_alertUpdates, match, last: false);

    public Task<Received<TriageQueueDto>> WaitForTriageAsync(Func<TriageQueueDto, bool> match) => WaitForAsync(_triage, match, last: false);

    /// <summary>Waits until the recorded pushes satisfy <paramref name="condition"/> (checked under the recorder's lock).</summary>
    public async Task WaitUntilAsync(Func<bool> condition)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition())
            {
                return;
            }

            _waiters.Add((condition, waiter));
        }

        try
        {
            await waiter.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Pushes did not arrive within {Timeout}. Events: {string.Join(", ", Events.Select(e => $"{e.Seq}:{e.Kind}"))}");
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private async Task<Received<T>> WaitForAsync<T>(List<Received<T>> list, Func<T, bool> match, bool last)
    {
        try
        {
            await WaitUntilAsync(() => list.Any(r => match(r.Value)));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} push ({Snapshot(list).Count} of that kind received). {ex.Message}");
        }

        lock (_lock)
        {
            return last ? list.Last(r => match(r.Value)) : list.First(r => match(r.Value));
        }
    }

    private void Record<T>(List<Received<T>> list, T value)
    {
        var at = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            list.Add(new Received<T>(value, at));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Check())
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private IReadOnlyList<Received<T>> Snapshot<T>(List<Received<T>> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }

    private IReadOnlyList<T> Values<T>(List<Received<T>> list)
    {
        lock (_lock)
        {
            return [.. list.Select(r => r.Value)];
        }
    }
}

/// <summary>A push and the <see cref="Stopwatch"/> timestamp of its arrival.</summary>
public sealed record Received<T>(T Value, long Timestamp);

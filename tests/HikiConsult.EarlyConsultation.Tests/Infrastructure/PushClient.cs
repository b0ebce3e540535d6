using System.Diagnostics;
using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.EarlyConsultation.Tests.Infrastructure;

/// <summary>
/// A real hub connection that records every push with the moment it arrived, and lets a test wait on the pushes
/// themselves (never on a sleep).
/// </summary>
public sealed class PushClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly List<Received<SessionEventDto>> _events = [];
    private readonly List<Received<RiskAlertDto>> _alerts = [];
    private readonly List<Received<RiskAlertDto>> _alertUpdates = [];
    private readonly List<Received<TriageQueueDto>> _triage = [];
    private readonly List<(Func<bool> Check, TaskCompletionSource Done)> _waiters = [];

    public PushClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<SessionEventDto>(HubMethods.SessionEvent, e => Record(_events, e));
        connection.On<RiskAlertDto>(EarlyConsultationHubMethods.RiskAlert, a => Record(_alerts, a));
        connection.On<RiskAlertDto>(EarlyConsultationHubMethods.AlertUpdated, a => Record(_alertUpdates, a));
        connection.On<TriageQueueDto>(EarlyConsultationHubMethods.TriageUpdated, q => Record(_triage, q));
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<Received<RiskAlertDto>> RiskAlerts => Snapshot(_alerts);

    public IReadOnlyList<Received<RiskAlertDto>> AlertUpdates => Snapshot(_alertUpdates);

    public IReadOnlyList<Received<TriageQueueDto>> TriageUpdates => Snapshot(_triage);

    public IReadOnlyList<Received<SessionEventDto>> Events => Snapshot(_events);

    /// <summary>
    /// Returns once the server has finished setting up this connection (a hub call is dispatched only after the
    /// connection's start-up, including joining the push groups).
    /// </summary>
    public Task ReadyAsync() => Connection.InvokeAsync(HubMethods.LeaveSession, "se_ready");

    public Task<JoinSessionResult> JoinAsync(string sessionId, long afterSeq = 0) =>
        Connection.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, sessionId, afterSeq);

    public Task<SendAck> SendTextAsync(string sessionId, string text) =>
        Connection.InvokeAsync<SendAck>(HubMethods.Send, sessionId,
            new SendRequest(Guid.NewGuid().ToString("N"), EventKinds.Text, JsonSerializer.SerializeToElement(new { text }, TestServerApp.Json)));

    public Task<RiskAlertDto> AcknowledgeAsync(string alertId, string? note) =>
        Connection.InvokeAsync<RiskAlertDto>(EarlyConsultationHubMethods.AcknowledgeAlert, alertId, note);

    public Task<Received<RiskAlertDto>> WaitForRiskAlertAsync(Func<RiskAlertDto, bool> match) => WaitForAsync(_alerts, match);

    public Task<Received<RiskAlertDto>> WaitForAlertUpdateAsync(Func<RiskAlertDto, bool> match) => WaitForAsync(_alertUpdates, match);

    public Task<Received<TriageQueueDto>> WaitForTriageAsync(Func<TriageQueueDto, bool> match) => WaitForAsync(_triage, match);

    public Task<Received<SessionEventDto>> WaitForEventAsync(Func<SessionEventDto, bool> match) => WaitForAsync(_events, match);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private async Task<Received<T>> WaitForAsync<T>(List<Received<T>> list, Func<T, bool> match)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Check() => list.Any(r => match(r.Value));
        lock (_lock)
        {
            if (!Check())
            {
                _waiters.Add((Check, waiter));
            }
            else
            {
                waiter.SetResult();
            }
        }

        try
        {
            await waiter.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} push within {Timeout} ({list.Count} of that kind received).");
        }

        lock (_lock)
        {
            return list.First(r => match(r.Value));
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
}

/// <summary>A push and the <see cref="Stopwatch"/> timestamp of its arrival.</summary>
public sealed record Received<T>(T Value, long Timestamp);

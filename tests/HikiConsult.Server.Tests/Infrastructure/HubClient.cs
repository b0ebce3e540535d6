using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Server.Tests.Infrastructure;

/// <summary>A hub connection that records every push, with waits on the pushes themselves (no sleeps).</summary>
public sealed class HubClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly List<SessionEventDto> _events = [];
    private readonly List<SessionStateDto> _states = [];
    private readonly List<(Func<bool> Check, TaskCompletionSource Done)> _waiters = [];
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HubClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<SessionEventDto>(HubMethods.SessionEvent, e => Record(() => _events.Add(e)));
        connection.On<SessionStateDto>(HubMethods.SessionState, s => Record(() => _states.Add(s)));
        connection.Closed += ex =>
        {
            _closed.TrySetResult(ex);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public Task<Exception?> Closed => _closed.Task;

    public IReadOnlyList<SessionEventDto> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<SessionStateDto> States
    {
        get
        {
            lock (_lock)
            {
                return [.. _states];
            }
        }
    }

    public Task<JoinSessionResult> JoinAsync(string sessionId, long afterSeq = 0) =>
        Connection.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, sessionId, afterSeq);

    public Task<SendAck> SendAsync(string sessionId, string kind, object body, string? clientMsgId = null) =>
        Connection.InvokeAsync<SendAck>(HubMethods.Send, sessionId, new SendRequest(clientMsgId ?? Guid.NewGuid().ToString("N"), kind, JsonSerializer.SerializeToElement(body, ServerApp.Json)));

    public Task<SendAck> SendTextAsync(string sessionId, string text, string? clientMsgId = null) =>
        SendAsync(sessionId, EventKinds.Text, new { text }, clientMsgId);

    public async Task<SessionEventDto> WaitForEventAsync(Func<SessionEventDto, bool> match)
    {
        await WaitUntilAsync(() => _events.Any(match));
        lock (_lock)
        {
            return _events.First(match);
        }
    }

    public async Task<SessionStateDto> WaitForStateAsync(Func<SessionStateDto, bool> match)
    {
        await WaitUntilAsync(() => _states.Any(match));
        lock (_lock)
        {
            return _states.Last(match);
        }
    }

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

    private void Record(Action add)
    {
        lock (_lock)
        {
            add();
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
}

using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>Reads a connection's event stream in the background and lets a test wait for a particular event.</summary>
public sealed class EventCollector
{
    private readonly List<SessionEventDto> _events = [];
    private readonly List<(Func<SessionEventDto, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    public EventCollector(SessionConnection connection)
    {
        Completion = Task.Run(async () =>
        {
            await foreach (var item in connection.ReadEventsAsync())
            {
                lock (_events)
                {
                    _events.Add(item);
                    foreach (var waiter in _waiters.Where(w => w.Match(item)).ToList())
                    {
                        waiter.Seen.TrySetResult();
                        _waiters.Remove(waiter);
                    }
                }
            }
        });
    }

    /// <summary>Ends when the stream ends (faulted if the stream faulted).</summary>
    public Task Completion { get; }

    public IReadOnlyList<SessionEventDto> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    public Task WaitForAsync(Func<SessionEventDto, bool> match)
    {
        lock (_events)
        {
            if (_events.Any(match))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
            return seen.Task.WaitAsync(EventAssertions.Generous);
        }
    }

    public Task WaitForTextAsync(string text) => WaitForAsync(e => EventAssertions.Text(e) == text);
}

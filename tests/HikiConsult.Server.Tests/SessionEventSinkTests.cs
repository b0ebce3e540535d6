using System.Collections.Concurrent;
using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>The hook for the early consultation system: every persisted event reaches the registered sinks.</summary>
public sealed class SessionEventSinkTests : IAsyncLifetime
{
    private readonly RecordingSink _sink = new();
    private readonly ServerApp _app;

    public SessionEventSinkTests()
    {
        _app = new ServerApp(services: s =>
        {
            s.AddSingleton<ISessionEventSink>(new ThrowingSink());
            s.AddSingleton<ISessionEventSink>(_sink);
        });
    }

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Sinks_see_every_persisted_event_in_seq_order_and_a_failing_sink_changes_nothing()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await using var _ = counselor;
        await using var __ = device;
        var ack = await device.SendTextAsync(s.Session.Id, "I did not go out today.");
        await device.SendTextAsync(s.Session.Id, "I did not go out today.", clientMsgId: null);

        var seen = _sink.For(s.Session.Id);
        var log = await _app.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events", s.Counselor.Token);
        Assert.Equal(log.Events.Select(e => e.Seq), seen.Select(p => p.Event.Seq));
        Assert.All(seen, p => Assert.Equal((s.Client.Id, false), (p.ClientId, p.FamilyOnly)));
        var text = seen.Single(p => p.Event.Seq == ack.Seq);
        Assert.Equal((EventKinds.Text, Roles.Client, SessionStates.Active), (text.Event.Kind, text.Event.Sender.Role, text.SessionState));
    }

    private sealed class RecordingSink : ISessionEventSink
    {
        private readonly ConcurrentQueue<PersistedSessionEvent> _events = new();

        public Task OnEventPersistedAsync(PersistedSessionEvent persisted, CancellationToken cancellationToken)
        {
            _events.Enqueue(persisted);
            return Task.CompletedTask;
        }

        public List<PersistedSessionEvent> For(string sessionId) => [.. _events.Where(e => e.Event.SessionId == sessionId)];
    }

    private sealed class ThrowingSink : ISessionEventSink
    {
        public Task OnEventPersistedAsync(PersistedSessionEvent persisted, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A sink that always fails.");
    }
}

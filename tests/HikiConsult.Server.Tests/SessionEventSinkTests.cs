using System.Collections.Concurrent;
using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>The hook for the early consultation system: every persisted event reaches the registered sinks.</summary>
public sealed class SessionEventSinkTests : IAsyncLifetime
{
    private readonly RecordingSink _sink = new();
    private readonly TestServerApp _app;

    public SessionEventSinkTests()
    {
        _app = new TestServerApp(services: s =>
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

    [Fact]
    public async Task When_the_session_comes_back_its_last_event_reaches_the_sinks_again_marked_as_redelivered()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await device.SendTextAsync(s.Session.Id, "The last thing before the restart.");
        // Leaving by the hub, not by disconnecting: a disconnect's leave is appended after the client returns,
        // and could land after the read below or during the restart.
        await counselor.Connection.InvokeAsync(HubMethods.LeaveSession, s.Session.Id);
        await device.Connection.InvokeAsync(HubMethods.LeaveSession, s.Session.Id);
        await counselor.DisposeAsync();
        await device.DisposeAsync();
        var lastBefore = (await _app.ExpectAsync<EventsPage>(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/events", s.Counselor.Token)).Events[^1].Seq;
        Assert.DoesNotContain(_sink.For(s.Session.Id), p => p.Redelivered);

        // The process may have died between that append and the sinks: the session cannot tell, so they get it again.
        await _app.RestartAsync();
        await using var again = await _app.ConnectAsync(HubPaths.Counselor, s.Counselor.Token);
        var joined = await again.JoinAsync(s.Session.Id, afterSeq: lastBefore);

        var seen = _sink.For(s.Session.Id);
        var redelivered = Assert.Single(seen, p => p.Redelivered);
        Assert.Equal(lastBefore, redelivered.Event.Seq);
        Assert.Equal(seen.Count - joined.Events.Count - 1, seen.IndexOf(redelivered));
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

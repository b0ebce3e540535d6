using System.Collections.Concurrent;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using Orleans;

namespace HikiConsult.Grains.Tests;

/// <summary>The session grain on a two-silo cluster: one log writer wherever it lives, across deactivation.</summary>
[Collection(TwoSiloCollection.Name)]
public sealed class SessionGrainClusterTests(TwoSiloCluster fixture)
{
    private static readonly SenderDto Counselor = new("usr_counselor", Roles.Counselor, "Counselor");
    private static readonly SenderDto Device = new("dev_device", Roles.Client, "Device");

    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task A_session_reactivated_elsewhere_goes_on_from_its_log_without_gaps_and_recognises_resends()
    {
        var (sessionId, session) = await NewActiveSessionAsync();
        var acks = new List<(string ClientMsgId, SendAck Ack)>();
        for (var i = 0; i < 10; i++)
        {
            var id = $"m-{i}";
            acks.Add((id, await session.Send(i % 2 == 0 ? Counselor : Device, Text(id, $"line {i}"))));
        }

        // The activation goes (as when its silo is lost); the next call activates the grain again, on either silo.
        await fixture.Cluster.DeactivateAsync(session);
        await fixture.Cluster.WaitForDeactivationAsync(session);

        var resend = await session.Send(Counselor, Text(acks[8].ClientMsgId, "line 8"));
        Assert.True(resend.Duplicate);
        Assert.Equal(acks[8].Ack.Seq, resend.Seq);

        await session.Join(Device, "connection-2", 0, null);
        var next = await session.Send(Device, Text("m-after", "after"));
        Assert.False(next.Duplicate);

        var log = TwoSiloCluster.Log.Events(sessionId);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Seq));
        Assert.Single(log, e => e.Body.TryGetProperty("text", out var t) && t.GetString() == "line 8");
        Assert.Equal(log[^1].Seq, next.Seq);
    }

    [Fact]
    public async Task A_new_activation_tells_a_renewing_observer_its_last_seq_so_the_observer_reads_what_it_missed()
    {
        var (_, session) = await NewActiveSessionAsync();
        var observer = new CollectingObserver();
        var reference = Grains.CreateObjectReference<ISessionObserver>(observer);
        try
        {
            Assert.Equal(await TwoSiloCluster.Log.GetLastSeqAsync(SessionIdOf(session)), await session.Subscribe(reference));
            await fixture.Cluster.DeactivateAsync(session);
            await fixture.Cluster.WaitForDeactivationAsync(session);

            // Sent while the new activation knows no observer: nothing is pushed, and the renewal says how far the log is.
            var ack = await session.Send(Counselor, Text("m-unseen", "unseen"));
            Assert.Equal(ack.Seq, await session.Subscribe(reference));

            // From the renewal on, the new activation pushes again.
            var pushed = await session.Send(Device, Text("m-seen", "seen"));
            Assert.Equal(pushed.Seq, await observer.Received(pushed.Seq).WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain(ack.Seq, observer.Seqs);
        }
        finally
        {
            Grains.DeleteObjectReference<ISessionObserver>(reference);
        }
    }

    private async Task<(string SessionId, IConsultationSessionGrain Session)> NewActiveSessionAsync()
    {
        var clientId = $"cli_{Guid.NewGuid():N}";
        var sessionId = $"ses_{Guid.NewGuid():N}";
        await Grains.GetGrain<IClientGrain>(clientId).Create(new NewClient("Test client", "en", "Asia/Tokyo", Counselor.Id, null));
        var session = Grains.GetGrain<IConsultationSessionGrain>(sessionId);
        await session.Create(new NewSession(clientId, null, false, Counselor.Id));
        await session.Join(Counselor, "connection-1", 0, null);
        await session.Join(Device, "connection-2", 0, null);
        return (sessionId, session);
    }

    private static string SessionIdOf(IConsultationSessionGrain session) => session.GetPrimaryKeyString();

    private static SendRequest Text(string clientMsgId, string text) =>
        new(clientMsgId, EventKinds.Text, JsonSerializer.SerializeToElement(new { text }));

    private sealed class CollectingObserver : ISessionObserver
    {
        private readonly ConcurrentDictionary<long, TaskCompletionSource<long>> _waiting = new();

        public ConcurrentBag<long> Seqs { get; } = [];

        public Task<long> Received(long seq) => _waiting.GetOrAdd(seq, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public Task OnSessionEvent(SessionEventDto sessionEvent)
        {
            Seqs.Add(sessionEvent.Seq);
            _waiting.GetOrAdd(sessionEvent.Seq, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(sessionEvent.Seq);
            return Task.CompletedTask;
        }

        public Task OnSessionState(SessionStateDto state, long atSeq, long change) => Task.CompletedTask;
    }
}

using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;

namespace HikiConsult.Server.Tests;

/// <summary>
/// Orleans delivers the session grain's one-way pushes at most once and in no promised order. These tests feed a node's
/// observer the pushes reordered, duplicated and with some lost, and check that every connection still gets every
/// event once and in seq order (the lost ones read from the log).
/// </summary>
public sealed class SessionPushOrderTests
{
    private const string SessionId = "ses_0123456789abcdef0123456789abcdef";
    private static readonly SenderDto Sender = new("dev_1", Roles.Client, "Client");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Reordered_duplicated_and_lost_pushes_reach_every_connection_once_and_in_order(int seed)
    {
        var log = Events(200);
        using var observer = new SessionObserver(SessionId, new LogStore(log), NullLogger.Instance);
        var early = new RecordingClient(until: 200);
        var late = new RecordingClient(until: 200);
        observer.Add("early", early);
        observer.Joined("early", 0);
        observer.Add("late", late);
        observer.Joined("late", 50);

        var random = new Random(seed);
        var pushes = log.Where(_ => random.Next(20) != 0).ToList(); // about one in twenty lost
        pushes.AddRange(log.Where(_ => random.Next(10) == 0)); // about one in ten twice
        foreach (var e in pushes.OrderBy(_ => random.Next()))
        {
            await observer.OnSessionEvent(e);
        }

        observer.Known(200); // the sender's ack: the last event is in the log even if its push is lost

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), await early.Received.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(Enumerable.Range(51, 150).Select(i => (long)i), await late.Received.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_connection_that_is_joining_gets_what_its_history_lacks_after_it()
    {
        var log = Events(6);
        using var observer = new SessionObserver(SessionId, new LogStore(log), NullLogger.Instance);
        var client = new RecordingClient(until: 6);
        observer.Add("c", client);

        // Pushed while the join reads the history (which covers up to 4): held, then only 5 and 6 are sent.
        await observer.OnSessionEvent(log[5]);
        await observer.OnSessionEvent(log[3]);
        await observer.OnSessionEvent(log[4]);
        Assert.Empty(client.Seqs);
        observer.Joined("c", 4);

        Assert.Equal([5L, 6L], await client.Received.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_older_state_that_arrives_after_a_newer_one_is_not_sent()
    {
        using var observer = new SessionObserver(SessionId, new LogStore([]), NullLogger.Instance);
        var client = new RecordingClient(until: long.MaxValue);
        observer.Add("c", client);
        observer.Joined("c", 0);

        await observer.OnSessionState(new SessionStateDto(SessionId, SessionStates.Active, []), atSeq: 0, change: 2);
        await observer.OnSessionState(new SessionStateDto(SessionId, SessionStates.Waiting, []), atSeq: 0, change: 1);
        await observer.OnSessionState(new SessionStateDto(SessionId, SessionStates.Ended, []), atSeq: 0, change: 3);

        Assert.Equal([SessionStates.Active, SessionStates.Ended], client.States);
    }

    private static List<SessionEventDto> Events(int count)
    {
        using var body = JsonDocument.Parse("""{"text":"hello"}""");
        return [.. Enumerable.Range(1, count).Select(i => new SessionEventDto(SessionId, i, DateTimeOffset.UnixEpoch.AddSeconds(i), Sender, EventKinds.Text, body.RootElement.Clone()))];
    }

    /// <summary>A connection's client: records what it is sent, and completes once it has the event <c>until</c>.</summary>
    private sealed class RecordingClient(long until) : IClientProxy
    {
        private readonly TaskCompletionSource<IReadOnlyList<long>> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<long> Seqs { get; } = [];

        public List<string> States { get; } = [];

        public Task<IReadOnlyList<long>> Received => _received.Task;

        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            lock (Seqs)
            {
                switch (args[0])
                {
                    case SessionEventDto e:
                        Seqs.Add(e.Seq);
                        if (e.Seq == until)
                        {
                            _received.TrySetResult([.. Seqs]);
                        }

                        break;
                    case SessionStateDto state:
                        States.Add(state.State);
                        break;
                }
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>The session's log: what the observer reads when a push does not arrive.</summary>
    private sealed class LogStore(IReadOnlyList<SessionEventDto> log) : ISessionEventStore
    {
        public Task<IReadOnlyList<SessionEventDto>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SessionEventDto>>([.. log.Where(e => e.Seq > afterSeq).Take(limit)]);

        public Task<long> GetLastSeqAsync(string sessionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AppendOutcome> AppendAsync(StoredSessionEvent sessionEvent, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SendAck?> FindByClientMsgIdAsync(string sessionId, string senderId, string clientMsgId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<SentMessageKey>> ReadClientMsgIdsAsync(string sessionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SessionEventDto?> FindLastSystemEventAsync(string sessionId, string action, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Client.Tests.Sessions;

/// <summary>
/// A small stand-in for the consultation hub with the wire contract's semantics (gapless seq, idempotent Send,
/// JoinSession(afterSeq) returning exactly the later events), plus switches to break connections on purpose, so the
/// client's resume logic can be tested on its own.
/// </summary>
public sealed class InMemorySessionHub(InMemorySessionStore store) : Hub
{
    public override Task OnConnectedAsync()
    {
        store.Connections[Context.ConnectionId] = Context;
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        store.Connections.TryRemove(Context.ConnectionId, out _);
        return Task.CompletedTask;
    }

    public async Task<JoinSessionResult> JoinSession(string sessionId, long afterSeq)
    {
        // Join the group before reading the log, so no event falls between the two.
        await Groups.AddToGroupAsync(Context.ConnectionId, sessionId);
        store.JoinRequests.Enqueue((Context.GetHttpContext()!.Request.Query["as"].ToString(), afterSeq));
        var log = store.Log(sessionId);
        lock (log.Gate)
        {
            return new JoinSessionResult(sessionId, "client-1", SessionStates.Active, [], log.Events.Where(e => e.Seq > afterSeq).ToList());
        }
    }

    public async Task<SendAck> Send(string sessionId, SendRequest request)
    {
        if (request.Kind == EventKinds.Text && (!request.Body.TryGetProperty("text", out var text) || string.IsNullOrEmpty(text.GetString())))
        {
            throw new HubException("Text must not be empty.");
        }

        var log = store.Log(sessionId);
        await log.Order.WaitAsync();
        try
        {
            SessionEventDto stored;
            lock (log.Gate)
            {
                if (log.Acks.TryGetValue(request.ClientMsgId, out var first))
                {
                    return first with { Duplicate = true };
                }

                var who = Context.GetHttpContext()!.Request.Query["as"].ToString();
                stored = new SessionEventDto(sessionId, log.Events.Count + 1, DateTimeOffset.UtcNow, new SenderDto(who, who, who), request.Kind, request.Body.Clone());
                log.Events.Add(stored);
                log.Acks[request.ClientMsgId] = new SendAck(stored.Seq, stored.At, false);
            }

            if (store.DropNextAckOnce())
            {
                // Stored, but the sender never hears about it.
                Context.Abort();
                await Task.Delay(Timeout.Infinite, Context.ConnectionAborted);
            }

            if (!store.SkipNextPushOnce())
            {
                var audience = store.EchoToSender ? Clients.Group(sessionId) : Clients.OthersInGroup(sessionId);
                await audience.SendAsync(HubMethods.SessionEvent, stored);
            }

            return new SendAck(stored.Seq, stored.At, false);
        }
        finally
        {
            log.Order.Release();
        }
    }
}

public sealed class InMemorySessionStore
{
    private readonly ConcurrentDictionary<string, SessionLog> _logs = new();
    private int _dropNextAck;
    private int _skipNextPush;

    /// <summary>Who joined asking for events after which seq, in order.</summary>
    public ConcurrentQueue<(string Who, long AfterSeq)> JoinRequests { get; } = new();

    public ConcurrentDictionary<string, HubCallerContext> Connections { get; } = new();

    public bool EchoToSender { get; set; } = true;

    /// <summary>While set, WebSocket upgrades get 503 (a passing outage: clients keep retrying).</summary>
    public volatile bool Unavailable;

    /// <summary>Tokens answered with 401 (revoked credentials: clients must give up).</summary>
    public ConcurrentDictionary<string, bool> RevokedTokens { get; } = new();

    public SessionLog Log(string sessionId) => _logs.GetOrAdd(sessionId, _ => new SessionLog());

    public void DropNextAck() => Volatile.Write(ref _dropNextAck, 1);

    public bool DropNextAckOnce() => Interlocked.Exchange(ref _dropNextAck, 0) == 1;

    /// <summary>The next stored event is acknowledged but pushed to nobody: a gap in the others' live stream.</summary>
    public void SkipNextPush() => Volatile.Write(ref _skipNextPush, 1);

    public bool SkipNextPushOnce() => Interlocked.Exchange(ref _skipNextPush, 0) == 1;

    public void AbortConnectionsOf(string who)
    {
        foreach (var context in Connections.Values.Where(c => c.GetHttpContext()?.Request.Query["as"].ToString() == who))
        {
            context.Abort();
        }
    }

    public sealed class SessionLog
    {
        public Lock Gate { get; } = new();

        public SemaphoreSlim Order { get; } = new(1, 1);

        public List<SessionEventDto> Events { get; } = [];

        public Dictionary<string, SendAck> Acks { get; } = [];

        public IReadOnlyList<SessionEventDto> Snapshot()
        {
            lock (Gate)
            {
                return Events.ToList();
            }
        }
    }
}

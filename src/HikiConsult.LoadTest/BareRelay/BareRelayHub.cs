using System.Collections.Concurrent;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.LoadTest.BareRelay;

/// <summary>
/// The same wire contract as the consultation hubs with nothing behind it: no grains, no storage, no auth, no
/// history. JoinSession puts the connection in the session's group; Send numbers the message and broadcasts it
/// to the group (sender included, as the real server does). The baseline for what SignalR alone costs here.
/// </summary>
public sealed class BareRelayHub(BareRelayState state) : Hub
{
    private static readonly SenderDto Anonymous = new("bare", Roles.Counselor, "Bare relay");

    public async Task<JoinSessionResult> JoinSession(string sessionId, long afterSeq)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, sessionId);
        return new JoinSessionResult(sessionId, "", SessionStates.Active, [], []);
    }

    public async Task<SendAck> Send(string sessionId, SendRequest message)
    {
        // Numbering and broadcast under one per-session gate, so every connection sees seqs in order, as the
        // contract requires of any relay; that is all this hub guarantees.
        var session = state.Session(sessionId);
        await session.Gate.WaitAsync();
        try
        {
            var seq = ++session.Seq;
            var at = DateTimeOffset.UtcNow;
            await Clients.Group(sessionId).SendAsync(HubMethods.SessionEvent, new SessionEventDto(sessionId, seq, at, Anonymous, message.Kind, message.Body));
            return new SendAck(seq, at, false);
        }
        finally
        {
            session.Gate.Release();
        }
    }
}

/// <summary>Per-session counters and ordering gates only.</summary>
public sealed class BareRelayState
{
    private readonly ConcurrentDictionary<string, SessionCounter> _sessions = new(StringComparer.Ordinal);

    public SessionCounter Session(string sessionId) => _sessions.GetOrAdd(sessionId, _ => new SessionCounter());

    public sealed class SessionCounter
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Seq { get; set; }
    }
}

using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// What both hubs offer: join a session (with the missed history), send to it, leave it. Access is checked on
/// join; sending needs a join on the same connection. Rule violations surface as <see cref="HubException"/>
/// through <see cref="SessionHubFilter"/>; the connection stays usable.
/// </summary>
public abstract class SessionHub(
    IGrainFactory grains,
    ClientAccess access,
    SessionSubscriptions subscriptions,
    ConnectionRegistry connections,
    AuditLog audit) : Hub
{
    public const string SessionNotFound = "Session not found.";
    private const string JoinedKey = "hikiconsult.joined";
    private const string CallerKey = "hikiconsult.caller";

    protected IGrainFactory GrainFactory => grains;

    protected ClientAccess Access => access;

    /// <summary>
    /// The caller of this connection, read from its token once: the token cannot change during a connection, and a
    /// revoked device's connections are closed.
    /// </summary>
    protected Caller CurrentCaller
    {
        get
        {
            lock (Context.Items)
            {
                if (Context.Items.TryGetValue(CallerKey, out var cached) && cached is Caller caller)
                {
                    return caller;
                }

                caller = Caller.From(Context.User) ?? throw new HubException("Not signed in.");
                Context.Items[CallerKey] = caller;
                return caller;
            }
        }
    }

    /// <summary>Joins a session and returns its state, participants and every event with seq &gt; afterSeq.</summary>
    public async Task<JoinSessionResult> JoinSession(string sessionId, long afterSeq)
    {
        var caller = CurrentCaller;
        var session = await FindSessionAsync(caller, sessionId);
        if (afterSeq < 0)
        {
            throw new HubException("'afterSeq' must be 0 or more.");
        }

        await audit.RecordAsync(caller, AuditActions.SessionJoin, "session", session.Id, Context.ConnectionAborted);

        // Among the observer's connections before reading history: an event stored meanwhile is held, and sent after
        // the history if the history does not have it.
        var grain = grains.GetGrain<IConsultationSessionGrain>(sessionId);
        var joined = Joined();
        bool first;
        lock (joined)
        {
            first = joined.TryAdd(sessionId, grain);
        }

        var observer = first ? subscriptions.Acquire(sessionId, Context.ConnectionId, Clients.Client(Context.ConnectionId)) : null;
        try
        {
            var result = await grain.Join(caller.ToSender(), Context.ConnectionId, afterSeq, observer);
            if (first)
            {
                subscriptions.Joined(sessionId, Context.ConnectionId, result.Events.Count > 0 ? Math.Max(afterSeq, result.Events[^1].Seq) : afterSeq);
            }

            return result;
        }
        catch when (first)
        {
            lock (joined)
            {
                joined.Remove(sessionId);
            }

            subscriptions.Release(sessionId, Context.ConnectionId);
            throw;
        }
    }

    /// <summary>Stores and relays one event; a resend with the same clientMsgId returns the first ack with duplicate = true.</summary>
    public async Task<SendAck> Send(string sessionId, SendRequest message)
    {
        var caller = CurrentCaller;
        if (!EntityIds.IsSessionId(sessionId))
        {
            throw new HubException("Invalid session id.");
        }

        var ack = await JoinedSession(sessionId).Send(caller.ToSender(), message);
        subscriptions.Known(sessionId, ack.Seq);
        return ack;
    }

    /// <summary>Leaves a session on this connection (the participant stays present while another connection of theirs is in it).</summary>
    public async Task LeaveSession(string sessionId)
    {
        var caller = CurrentCaller;
        if (!EntityIds.IsSessionId(sessionId))
        {
            throw new HubException("Invalid session id.");
        }

        var joined = Joined();
        lock (joined)
        {
            if (!joined.Remove(sessionId))
            {
                return;
            }
        }

        await LeaveAsync(caller, sessionId);
    }

    public override async Task OnConnectedAsync()
    {
        connections.Add(CurrentCaller.Id, Context);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var caller = CurrentCaller;
        connections.Remove(caller.Id, Context.ConnectionId);
        var joined = Joined();
        string[] sessions;
        lock (joined)
        {
            sessions = [.. joined.Keys];
            joined.Clear();
        }

        foreach (var sessionId in sessions)
        {
            await LeaveAsync(caller, sessionId);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>The session if the caller may see it; otherwise the same error as for an unknown session.</summary>
    protected async Task<SessionDto> FindSessionAsync(Caller caller, string sessionId)
    {
        if (!EntityIds.IsSessionId(sessionId))
        {
            throw new HubException("Invalid session id.");
        }

        return await access.FindVisibleSessionAsync(caller, sessionId) ?? throw new HubException(SessionNotFound);
    }

    private async Task LeaveAsync(Caller caller, string sessionId)
    {
        try
        {
            // The leaving connection still gets the state its leave causes, as the others do.
            await grains.GetGrain<IConsultationSessionGrain>(sessionId).Leave(caller.Id, Context.ConnectionId);
        }
        finally
        {
            subscriptions.Release(sessionId, Context.ConnectionId);
        }
    }

    /// <summary>The session's grain, if this connection joined it (sending needs a join on the very connection).</summary>
    private IConsultationSessionGrain JoinedSession(string sessionId)
    {
        var joined = Joined();
        lock (joined)
        {
            return joined.TryGetValue(sessionId, out var grain) ? grain : throw new HubException("Join the session before sending to it.");
        }
    }

    /// <summary>
    /// The sessions this connection joined, with their grain references: a reference keeps the activation it last
    /// reached, so a send goes to it without a look-up in the grain directory.
    /// </summary>
    private Dictionary<string, IConsultationSessionGrain> Joined()
    {
        lock (Context.Items)
        {
            if (Context.Items.TryGetValue(JoinedKey, out var value) && value is Dictionary<string, IConsultationSessionGrain> sessions)
            {
                return sessions;
            }

            var created = new Dictionary<string, IConsultationSessionGrain>(StringComparer.Ordinal);
            Context.Items[JoinedKey] = created;
            return created;
        }
    }
}

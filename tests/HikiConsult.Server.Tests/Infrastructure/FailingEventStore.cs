using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests.Infrastructure;

/// <summary>
/// The real session log, except that appending a text with the marker fails as a broken disk would: before
/// anything is written, or (<paramref name="afterCommit"/>) after the event has committed, as when the answer of
/// a write is lost, so the caller cannot know whether it was stored.
/// </summary>
internal sealed class FailingEventStore(ISessionEventStore inner, string marker, bool afterCommit = false) : ISessionEventStore
{
    /// <summary>Puts the server's log (of whichever provider it runs on) behind a store that fails on <paramref name="marker"/>.</summary>
    public static void Replace(IServiceCollection services, string marker, bool afterCommit = false)
    {
        var real = services.Last(d => d.ServiceType == typeof(ISessionEventStore)).ImplementationType!;
        services.AddSingleton(real);
        services.AddSingleton<ISessionEventStore>(sp => new FailingEventStore((ISessionEventStore)sp.GetRequiredService(real), marker, afterCommit));
    }

    public async Task<AppendOutcome> AppendAsync(StoredSessionEvent sessionEvent, CancellationToken cancellationToken = default)
    {
        if (!sessionEvent.BodyJson.Contains(marker, StringComparison.Ordinal))
        {
            return await inner.AppendAsync(sessionEvent, cancellationToken);
        }

        if (afterCommit)
        {
            await inner.AppendAsync(sessionEvent, cancellationToken);
        }

        throw new IOException("disk failed");
    }

    public Task<long> GetLastSeqAsync(string sessionId, CancellationToken cancellationToken = default) => inner.GetLastSeqAsync(sessionId, cancellationToken);

    public Task<SendAck?> FindByClientMsgIdAsync(string sessionId, string senderId, string clientMsgId, CancellationToken cancellationToken = default) =>
        inner.FindByClientMsgIdAsync(sessionId, senderId, clientMsgId, cancellationToken);

    public Task<IReadOnlyList<SentMessageKey>> ReadClientMsgIdsAsync(string sessionId, CancellationToken cancellationToken = default) =>
        inner.ReadClientMsgIdsAsync(sessionId, cancellationToken);

    public Task<IReadOnlyList<SessionEventDto>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(sessionId, afterSeq, limit, cancellationToken);

    public Task<SessionEventDto?> FindLastSystemEventAsync(string sessionId, string action, CancellationToken cancellationToken = default) =>
        inner.FindLastSystemEventAsync(sessionId, action, cancellationToken);
}

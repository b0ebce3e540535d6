using HikiConsult.Actors.Utilities;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Actors.Tests.Grains;

public interface IChatObserver : IGrainObserver
{
    Task Receive(string text);
}

public interface IChatRoomGrain : IGrainWithStringKey
{
    Task Subscribe(IChatObserver observer);

    Task Unsubscribe(IChatObserver observer);

    /// <summary>Notifies every subscriber and waits for all of them; returns how many subscribers remain.</summary>
    Task<int> Publish(string text);

    /// <summary>Notifies without waiting (fire and forget); returns how many subscribers remain.</summary>
    Task<int> Broadcast(string text);

    Task<int> SubscriberCount();
}

public sealed class ChatRoomGrain(ILogger<ChatRoomGrain> logger, TimeProvider time) : Grain, IChatRoomGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);

    private readonly ObserverManager<IChatObserver> _subscribers = new(Expiry, logger, time);

    public Task Subscribe(IChatObserver observer)
    {
        _subscribers.Subscribe(observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IChatObserver observer)
    {
        _subscribers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task<int> Publish(string text)
    {
        await _subscribers.Notify(o => o.Receive(text));
        return _subscribers.Count;
    }

    public Task<int> Broadcast(string text)
    {
        _subscribers.Notify(o => _ = o.Receive(text));
        return Task.FromResult(_subscribers.Count);
    }

    public Task<int> SubscriberCount() => Task.FromResult(_subscribers.Count);
}

using HikiConsult.Actors;
using HikiConsult.Actors.Concurrency;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Receives a session's pushes on a server node, which forwards them to the connections there. Calls are one
/// way: the session grain queues them in seq order and does not wait for the sockets.
/// </summary>
public interface ISessionObserver : IGrainObserver
{
    [OneWay]
    Task OnSessionEvent(SessionEventDto sessionEvent);

    [OneWay]
    Task OnSessionState(SessionStateDto state);
}

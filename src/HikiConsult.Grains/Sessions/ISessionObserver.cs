using Orleans;
using Orleans.Concurrency;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Receives a session's pushes on a server node, which forwards them to the connections there. Calls are one
/// way and Orleans promises neither their delivery nor their order: the receiver puts events in seq order and reads
/// what does not arrive from the log; a state carries the log position and the change number it was made at, so an
/// older state that arrives late is recognised.
/// </summary>
[Alias("hc.ISessionObserver")]
public interface ISessionObserver : IGrainObserver
{
    [OneWay]
    Task OnSessionEvent(SessionEventDto sessionEvent);

    /// <param name="atSeq">The session's last seq when the state was made.</param>
    /// <param name="change">Counts the activation's state pushes: orders states made at the same seq.</param>
    [OneWay]
    Task OnSessionState(SessionStateDto state, long atSeq, long change);
}

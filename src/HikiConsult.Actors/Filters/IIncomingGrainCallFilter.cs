namespace HikiConsult.Actors;

/// <summary>
/// Runs around every request a grain receives (logging, metrics, authorization). Registered filters run in
/// registration order; a grain class that implements this interface runs last, just before its method.
/// </summary>
public interface IIncomingGrainCallFilter
{
    Task Invoke(IIncomingGrainCallContext context);
}

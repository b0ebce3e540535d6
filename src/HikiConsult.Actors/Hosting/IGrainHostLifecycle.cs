namespace HikiConsult.Actors.Hosting;

/// <summary>Lets services run start and stop work at a <see cref="GrainHostLifecycleStage"/>.</summary>
public interface IGrainHostLifecycle
{
    void Subscribe(string observerName, int stage, Func<CancellationToken, Task> onStart, Func<CancellationToken, Task>? onStop = null);
}

/// <summary>A service that takes part in a lifecycle; registered in DI, called once when the host starts.</summary>
public interface ILifecycleParticipant<in TLifecycle>
{
    void Participate(TLifecycle lifecycle);
}

using HikiConsult.Actors.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Actors.Hosting;

/// <summary>Runs the lifecycle stages as a hosted service: start in stage order, stop in reverse.</summary>
internal sealed partial class GrainHostLifecycle(
    IEnumerable<ILifecycleParticipant<IGrainHostLifecycle>> participants,
    GrainRuntime runtime,
    ILogger<GrainHostLifecycle> logger) : IHostedService, IGrainHostLifecycle
{
    private readonly List<(string Name, int Stage, Func<CancellationToken, Task> OnStart, Func<CancellationToken, Task>? OnStop)> _observers = [];
    private int _started = -1;

    public void Subscribe(string observerName, int stage, Func<CancellationToken, Task> onStart, Func<CancellationToken, Task>? onStop = null) =>
        _observers.Add((observerName, stage, onStart, onStop));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Subscribe("GrainRuntime", GrainHostLifecycleStage.RuntimeServices, _ => { runtime.Start(); return Task.CompletedTask; });
        Subscribe("GrainDeactivation", GrainHostLifecycleStage.Active, _ => Task.CompletedTask, runtime.DeactivateAllAsync);
        foreach (var participant in participants)
        {
            participant.Participate(this);
        }

        foreach (var stage in _observers.GroupBy(o => o.Stage).OrderBy(g => g.Key))
        {
            StageStarting(logger, stage.Key);
            await Task.WhenAll(stage.Select(o => o.OnStart(cancellationToken)));
            _started = stage.Key;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var stage in _observers.Where(o => o.Stage <= _started && o.OnStop is not null).GroupBy(o => o.Stage).OrderByDescending(g => g.Key))
        {
            StageStopping(logger, stage.Key);
            foreach (var observer in stage)
            {
                try
                {
                    await observer.OnStop!(cancellationToken);
                }
                catch (Exception ex)
                {
                    StopFailed(logger, observer.Name, ex);
                }
            }
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Grain host starting stage {Stage}")]
    private static partial void StageStarting(ILogger logger, int stage);

    [LoggerMessage(2, LogLevel.Debug, "Grain host stopping stage {Stage}")]
    private static partial void StageStopping(ILogger logger, int stage);

    [LoggerMessage(3, LogLevel.Error, "Stopping {Observer} failed")]
    private static partial void StopFailed(ILogger logger, string observer, Exception exception);
}

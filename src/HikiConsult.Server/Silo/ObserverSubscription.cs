using HikiConsult.Server.Hubs;
using Orleans;

namespace HikiConsult.Server.Silo;

/// <summary>
/// A node's observer of a fan-out grain: subscribed before the server takes requests, renewed every
/// <paramref name="renewPeriod"/> (which also puts it back on the list of a grain that moved with a lost node), and
/// unsubscribed on shutdown.
/// </summary>
public abstract class ObserverSubscription<TObserver>(IGrainFactory grains, TimeProvider time, ILogger logger, TimeSpan renewPeriod) : BackgroundService
    where TObserver : class, IGrainObserver
{
    private TObserver? _reference;

    protected IGrainFactory Grains => grains;

    /// <summary>What to subscribe: the grain calls it on this node.</summary>
    protected abstract TObserver Observer { get; }

    protected abstract Task SubscribeAsync(TObserver reference);

    protected abstract Task UnsubscribeAsync(TObserver reference);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<TObserver>(Observer);
        await SubscribeAsync(_reference);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_reference is not null)
        {
            try
            {
                await UnsubscribeAsync(_reference);
            }
            catch (Exception ex)
            {
                ObserverSubscriptionLog.RenewFailed(logger, typeof(TObserver).Name, ex);
            }

            ObserverReferences.Delete(grains, _reference);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(renewPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SubscribeAsync(_reference!);
                }
                catch (Exception ex)
                {
                    ObserverSubscriptionLog.RenewFailed(logger, typeof(TObserver).Name, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

internal static partial class ObserverSubscriptionLog
{
    [LoggerMessage(1, LogLevel.Warning, "Renewing the {Observer} subscription failed")]
    public static partial void RenewFailed(ILogger logger, string observer, Exception exception);
}

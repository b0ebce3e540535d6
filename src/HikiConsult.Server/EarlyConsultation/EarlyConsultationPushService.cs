using Orleans;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// Subscribes this node's <see cref="EarlyConsultationObserver"/> to the clinic's notifier grain before the server
/// takes requests, renews the subscription every <see cref="EarlyConsultationObserverTiming.RenewPeriod"/> (which
/// also brings it back if the notifier was reactivated), and unsubscribes on shutdown.
/// </summary>
public sealed partial class EarlyConsultationPushService(
    IGrainFactory grains,
    IHubContext<CounselorHub> hub,
    TimeProvider time,
    ILogger<EarlyConsultationPushService> logger) : BackgroundService
{
    private readonly EarlyConsultationObserver _observer = new(hub);
    private IEarlyConsultationObserver? _reference;

    private IEarlyConsultationNotifierGrain Notifier => grains.GetGrain<IEarlyConsultationNotifierGrain>(EarlyConsultationOptions.DefaultClinic);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<IEarlyConsultationObserver>(_observer);
        await Notifier.Subscribe(_reference);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_reference is not null)
        {
            try
            {
                await Notifier.Unsubscribe(_reference);
            }
            catch (Exception ex)
            {
                RenewFailed(logger, ex);
            }

            ObserverReferences.Delete(grains, _reference);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(EarlyConsultationObserverTiming.RenewPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await Notifier.Subscribe(_reference!);
                }
                catch (Exception ex)
                {
                    RenewFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Renewing the early consultation push subscription failed")]
    private static partial void RenewFailed(ILogger logger, Exception exception);
}

using Orleans;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Hubs;
using HikiConsult.Server.Silo;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// Subscribes this node's <see cref="EarlyConsultationGroupObserver"/> to the clinic's notifier grain, renewed every
/// <see cref="EarlyConsultationObserverTiming.RenewPeriod"/>.
/// </summary>
public sealed class EarlyConsultationSubscription(
    IGrainFactory grains,
    IHubContext<CounselorHub> hub,
    TimeProvider time,
    ILogger<EarlyConsultationSubscription> logger)
    : ObserverSubscription<IEarlyConsultationObserver>(grains, time, logger, EarlyConsultationObserverTiming.RenewPeriod)
{
    private IEarlyConsultationNotifierGrain Notifier => Grains.GetGrain<IEarlyConsultationNotifierGrain>(EarlyConsultationOptions.DefaultClinic);

    protected override IEarlyConsultationObserver Observer { get; } = new EarlyConsultationGroupObserver(hub);

    protected override Task SubscribeAsync(IEarlyConsultationObserver reference) => Notifier.Subscribe(reference);

    protected override Task UnsubscribeAsync(IEarlyConsultationObserver reference) => Notifier.Unsubscribe(reference);
}

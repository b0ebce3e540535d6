using Orleans;
using Orleans.Utilities;
using HikiConsult.Contracts;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Grains.EarlyConsultation;

[GrainType("early-consultation-notifier")]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class EarlyConsultationNotifierGrain(ILogger<EarlyConsultationNotifierGrain> logger) : Grain, IEarlyConsultationNotifierGrain
{
    private readonly ObserverManager<IEarlyConsultationObserver> _observers = new(EarlyConsultationObserverTiming.Expiry, logger);

    public Task Subscribe(IEarlyConsultationObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IEarlyConsultationObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task PublishRiskAlert(RiskAlertDto alert, IReadOnlyList<string> counselorIds) =>
        _observers.Notify(o => o.OnRiskAlert(alert, counselorIds));

    public Task PublishAlertUpdated(RiskAlertDto alert, IReadOnlyList<string> counselorIds) =>
        _observers.Notify(o => o.OnAlertUpdated(alert, counselorIds));

    public Task PublishTriage(TriageQueueDto all, IReadOnlyDictionary<string, TriageQueueDto> byCounselor) =>
        _observers.Notify(o => o.OnTriageUpdated(all, byCounselor));
}

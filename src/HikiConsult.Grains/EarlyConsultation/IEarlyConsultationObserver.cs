using Orleans;
using Orleans.Concurrency;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// Receives the early consultation pushes on a server node, which forwards them to that node's counselor hub
/// connections: the client's assigned counselors and every supervisor. One way: the grain does not wait for sockets.
/// </summary>
[Alias("hc.IEarlyConsultationObserver")]
public interface IEarlyConsultationObserver : IGrainObserver
{
    [OneWay]
    Task OnRiskAlert(RiskAlertDto alert, IReadOnlyList<string> counselorIds);

    [OneWay]
    Task OnAlertUpdated(RiskAlertDto alert, IReadOnlyList<string> counselorIds);

    /// <summary>The whole queue for supervisors; each listed counselor's own queue (their clients only).</summary>
    [OneWay]
    Task OnTriageUpdated(TriageQueueDto all, IReadOnlyDictionary<string, TriageQueueDto> byCounselor);
}

/// <summary>
/// Fan-out of early consultation pushes to the nodes' observers (key: clinic id). Client and triage grains publish
/// here; nodes subscribe and renew well within <see cref="EarlyConsultationObserverTiming.Expiry"/>.
/// </summary>
[Alias("hc.IEarlyConsultationNotifierGrain")]
public interface IEarlyConsultationNotifierGrain : IGrainWithStringKey
{
    Task Subscribe(IEarlyConsultationObserver observer);

    Task Unsubscribe(IEarlyConsultationObserver observer);

    [OneWay]
    Task PublishRiskAlert(RiskAlertDto alert, IReadOnlyList<string> counselorIds);

    [OneWay]
    Task PublishAlertUpdated(RiskAlertDto alert, IReadOnlyList<string> counselorIds);

    [OneWay]
    Task PublishTriage(TriageQueueDto all, IReadOnlyDictionary<string, TriageQueueDto> byCounselor);
}

public static class EarlyConsultationObserverTiming
{
    public static readonly TimeSpan RenewPeriod = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(10);
}

using HikiConsult.Contracts;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// This node's receiver of early consultation pushes: sends each to the SignalR groups of its audience on the counselor
/// hub (<see cref="EarlyConsultationGroups"/>), not to connections one by one as session pushes are: an alert or a
/// triage queue is the same for every connection of a counselor, carries no seq and needs no per-connection order or
/// history, so the groups that <see cref="EarlyConsultationHubFilter"/> puts each connection in are all it needs.
/// </summary>
internal sealed class EarlyConsultationGroupObserver(IHubContext<CounselorHub> hub) : IEarlyConsultationObserver
{
    public Task OnRiskAlert(RiskAlertDto alert, IReadOnlyList<string> counselorIds) =>
        hub.Clients.Groups(EarlyConsultationGroups.ForClient(counselorIds)).SendAsync(EarlyConsultationHubMethods.RiskAlert, alert);

    public Task OnAlertUpdated(RiskAlertDto alert, IReadOnlyList<string> counselorIds) =>
        hub.Clients.Groups(EarlyConsultationGroups.ForClient(counselorIds)).SendAsync(EarlyConsultationHubMethods.AlertUpdated, alert);

    public Task OnTriageUpdated(TriageQueueDto all, IReadOnlyDictionary<string, TriageQueueDto> byCounselor)
    {
        var sends = new List<Task>(byCounselor.Count + 1)
        {
            hub.Clients.Group(EarlyConsultationGroups.Supervisors).SendAsync(EarlyConsultationHubMethods.TriageUpdated, all),
        };
        foreach (var (counselorId, queue) in byCounselor)
        {
            sends.Add(hub.Clients.Group(EarlyConsultationGroups.Counselor(counselorId)).SendAsync(EarlyConsultationHubMethods.TriageUpdated, queue));
        }

        return Task.WhenAll(sends);
    }
}

using HikiConsult.Contracts;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>This node's receiver of early consultation pushes: forwards them to the counselor hub groups here.</summary>
internal sealed class EarlyConsultationObserver(IHubContext<CounselorHub> hub) : IEarlyConsultationObserver
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

using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// Who may read and write a client's early consultation records, on top of <see cref="ClientAccess"/>: clinicians
/// who see the client read and write everything; a client's own device (avatar app, robot, family device) may only
/// submit a self-report assessment, completed by itself; admins and other devices see nothing (404, never 403).
/// </summary>
public sealed class EarlyConsultationAccess(ClientAccess access)
{
    /// <summary>True when the caller is a clinician who may see the client.</summary>
    public async Task<bool> MayReadAsync(Caller caller, string clientId) =>
        caller.IsClinician && await access.FindVisibleClientAsync(caller, clientId) is not null;

    /// <summary>
    /// Who an assessment for this client is completed by, if the caller may submit one: a device's own report is
    /// always its own (client, or family for a family device); a clinician says who completed it (default: counselor).
    /// Null when the caller may not submit for this client.
    /// </summary>
    public async Task<SubmitRight?> MaySubmitAssessmentAsync(Caller caller, string clientId)
    {
        if (caller.IsDevice)
        {
            return caller.ClientId == clientId && EntityIds.IsClientId(clientId)
                ? new SubmitRight(caller.Role == Roles.Family ? CompletedBy.Family : CompletedBy.Client, ForcedByDevice: true)
                : null;
        }

        return await MayReadAsync(caller, clientId) ? new SubmitRight(CompletedBy.Counselor, ForcedByDevice: false) : null;
    }
}

/// <param name="CompletedBy">The forced value for a device, the default for a clinician.</param>
public sealed record SubmitRight(string CompletedBy, bool ForcedByDevice);

using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.EarlyConsultation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

// The counselor hub is partial so that features add their methods in their own folder.
namespace HikiConsult.Server.Hubs;

public sealed partial class CounselorHub
{
    public const string AlertNotFound = "Alert not found.";

    /// <summary>
    /// Acknowledges a risk alert of a client the caller may see, with a note for the clinic's records (may be empty).
    /// Returns the alert as acknowledged; every recipient of the alert gets <c>AlertUpdated</c>. Acknowledging again
    /// returns the same alert.
    /// </summary>
    public async Task<RiskAlertDto> AcknowledgeAlert(
        string alertId,
        string? note,
        [FromServices] IEarlyConsultationStore store,
        [FromServices] IOptions<EarlyConsultationOptions> options)
    {
        var caller = CurrentCaller;
        if (!caller.IsClinician || !RiskAlertIds.IsAlertId(alertId))
        {
            throw new HubException(AlertNotFound);
        }

        var maxNote = options.Value.MaxNoteLength;
        if (note is { Length: > 0 } && note.Length > maxNote)
        {
            throw new HubException($"The note is longer than {maxNote} characters.");
        }

        var alert = await store.FindAlertAsync(alertId, Context.ConnectionAborted);
        if (alert is null || await Access.FindVisibleClientAsync(caller, alert.ClientId) is null)
        {
            throw new HubException(AlertNotFound);
        }

        try
        {
            return await GrainFactory.GetGrain<IClientEarlyConsultationGrain>(alert.ClientId).AcknowledgeAlert(alertId, caller.Id, note);
        }
        catch (ConsultationRuleException ex) when (ex.Kind == ConsultationRuleKind.NotFound)
        {
            throw new HubException(AlertNotFound);
        }
    }
}

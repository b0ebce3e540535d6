using Orleans;
using HikiConsult.Domain.Instruments;
using HikiConsult.Grains.EarlyConsultation;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// After a start (or a crash and restart): activates the grains of clients with alerts still waiting for escalation,
/// which re-arm their deadlines from the stored alerts, and the clinic's triage grain, which rebuilds the queue and
/// starts its refresh timer. Loading the instrument catalog here makes an invalid definition file stop the start.
/// </summary>
public sealed partial class EarlyConsultationStartup(
    IGrainFactory grains,
    IEarlyConsultationStore store,
    InstrumentCatalog catalog,
    ILogger<EarlyConsultationStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clients = await store.ListClientsWithOpenAlertsAsync(cancellationToken);
        foreach (var clientId in clients)
        {
            await grains.GetGrain<IClientEarlyConsultationGrain>(clientId).Wake();
        }

        try
        {
            await grains.GetGrain<ITriageGrain>(EarlyConsultationOptions.DefaultClinic).GetQueue();
        }
        catch (Exception ex)
        {
            // The queue is rebuilt on the next request; the server still starts.
            TriageStartFailed(logger, ex);
        }

        Started(logger, catalog.All.Count, clients.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Early consultation started: {Instruments} instruments, {Clients} clients with alert deadlines re-armed")]
    private static partial void Started(ILogger logger, int instruments, int clients);

    [LoggerMessage(2, LogLevel.Error, "The triage queue could not be built at start")]
    private static partial void TriageStartFailed(ILogger logger, Exception exception);
}

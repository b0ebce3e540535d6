using System.Text.Json;
using Orleans;
using Orleans.Metadata;
using Orleans.Runtime;
using HikiConsult.Contracts;
using HikiConsult.Domain.Risk;
using HikiConsult.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// Feeds the early consultation system from the session log, event by event, inside the session's turn:
/// <list type="bullet">
/// <item>every text from a client's or a family member's device is checked against the risk lexicons; a hit raises
/// an alert, which is durable before the sender's ack returns (the message itself is never blocked or changed);</item>
/// <item>the events the analytics take (<see cref="SessionEngagement"/>) of the client's own sessions go to the
/// client's grain, one way, so the relay never waits for them; the grain counts each once by its seq.</item>
/// </list>
/// An event redelivered on the session's activation (see <see cref="PersistedSessionEvent.Redelivered"/>) is scanned
/// again (an alert exists once per message) and not given to the analytics.
/// Family-only sessions are scanned for risk but are not the client's engagement. Message text never leaves this
/// method except as the matched evidence, and is never logged.
/// </summary>
public sealed partial class EarlyConsultationSessionSink(
    IGrainFactory grains, GrainInterfaceTypeResolver interfaces, RiskDetector riskDetector, ILogger<EarlyConsultationSessionSink> logger) : ISessionEventSink
{
    // GetGrain<T>(key) reads the interface's attributes by reflection on every call, and the sink runs for every
    // event: the interface type is resolved once.
    private readonly GrainInterfaceType _clientInterface = interfaces.GetGrainInterfaceType(typeof(IClientEarlyConsultationGrain));

    public async Task OnEventPersistedAsync(PersistedSessionEvent persisted, CancellationToken cancellationToken)
    {
        var e = persisted.Event;
        if (e.Kind == EventKinds.Text && e.Sender.Role is Roles.Client or Roles.Family)
        {
            await ScanAsync(persisted);
        }

        // The analytics read the session logs themselves when the client's grain is activated; a redelivered close
        // would be counted twice, as the grain forgets a session once it is closed.
        if (!persisted.Redelivered && !persisted.FamilyOnly && SessionEngagement.Concerns(e))
        {
            await Client(persisted).RecordSessionEvent(e);
        }
    }

    private async Task ScanAsync(PersistedSessionEvent persisted)
    {
        var e = persisted.Event;
        if (!e.Body.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var matches = riskDetector.Detect(textElement.GetString() ?? "");
        if (matches.Count == 0)
        {
            return;
        }

        var evidence = matches
            .Select(m => new RiskEvidence(JsonNamingPolicy.CamelCase.ConvertName(m.Category.ToString()), m.Language, m.Evidence,
                JsonNamingPolicy.CamelCase.ConvertName(m.Level.ToString()), m.Pattern))
            .ToArray();
        var alert = await Client(persisted).RaiseAlert(new RiskAlertRequest(e.SessionId, e.Seq, e.At, e.Sender.Role, evidence));
        if (alert is null)
        {
            NoClient(logger, persisted.ClientId, e.SessionId, e.Seq);
        }
    }

    private IClientEarlyConsultationGrain Client(PersistedSessionEvent persisted) =>
        (IClientEarlyConsultationGrain)grains.GetGrain(GrainId.Create(ClientEarlyConsultationGrain.GrainTypeName, persisted.ClientId), _clientInterface);

    [LoggerMessage(1, LogLevel.Error, "Risk match on {SessionId}/{Seq} but client {ClientId} has no record: no alert raised")]
    private static partial void NoClient(ILogger logger, string clientId, string sessionId, long seq);
}

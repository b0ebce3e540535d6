using HikiConsult.Contracts;
using HikiConsult.Domain;
using HikiConsult.Domain.Risk;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// One client's risk alerts: raises an alert from a message's matches, acknowledges it, escalates it when its
/// deadline passes, and keeps those not acknowledged yet. The store is the truth: every change is written there before
/// anyone is told, and the unacknowledged alerts are read from it again on activation. Telling counselors, and the
/// timer and reminder for the deadline, are <see cref="ClientEarlyConsultationGrain"/>'s.
/// </summary>
internal sealed partial class ClientRiskAlerts(string clientId, IEarlyConsultationStore store, EarlyConsultationOptions options, ILogger logger)
{
    private readonly List<RiskAlertDto> _unacknowledged = [];

    /// <summary>Open and escalated alerts, oldest first.</summary>
    public IReadOnlyList<RiskAlertDto> Unacknowledged => _unacknowledged;

    /// <summary>When the earliest alert still open escalates; null when none waits for escalation.</summary>
    public DateTimeOffset? NextEscalationAt
    {
        get
        {
            var open = _unacknowledged.Where(a => a.Status == RiskAlertStatuses.Open).ToArray();
            return open.Length == 0 ? null : open.Min(a => a.CreatedAt) + options.AlertAcknowledgeTimeout;
        }
    }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        _unacknowledged.AddRange(await store.ListUnacknowledgedAlertsAsync(clientId, cancellationToken));

    public void Clear() => _unacknowledged.Clear();

    /// <summary>
    /// Stores the alert for one message. Raised is false when the message has an alert already: that alert is returned
    /// as stored (null if it has gone since).
    /// </summary>
    public async Task<(RiskAlertDto? Alert, bool Raised)> RaiseAsync(RiskAlertRequest request, string clientAlias, DateTimeOffset now)
    {
        if (request.Matches.Count == 0)
        {
            throw ConsultationRuleException.Invalid("An alert needs at least one match.");
        }

        var primary = request.Matches.OrderBy(m => Urgency(m.Category)).First();
        // The level is the highest step any hit shows, and its pattern says why; the category stays the most urgent one.
        var graded = request.Matches.OrderByDescending(m => LevelRank(m.Level)).ThenBy(m => Urgency(m.Category)).First();
        var alert = new RiskAlertDto(
            RiskAlertIds.For(request.SessionId, request.Seq),
            clientId,
            clientAlias,
            request.SessionId,
            request.Seq,
            primary.Category,
            primary.Language,
            [.. request.Matches.Select(m => m.Evidence).Distinct(StringComparer.Ordinal)],
            now,
            RiskAlertStatuses.Open,
            AcknowledgedAt: null,
            AcknowledgedBy: null,
            EscalatedAt: null,
            RiskDetector.Source,
            DecisionSupport.Label,
            LevelRank(graded.Level) > 0 ? graded.Level : RiskAlertLevels.None,
            LevelRank(graded.Level) > 0 ? graded.Pattern : RiskAlertDto.LexiconPattern);

        // Durable before anyone is told; the (session, seq) key makes a repeat a no-op.
        if (!await store.AddAlertAsync(alert))
        {
            return (await store.FindAlertForMessageAsync(request.SessionId, request.Seq), false);
        }

        _unacknowledged.Add(alert);
        AlertRaised(logger, alert.AlertId, clientId, request.SessionId, request.Seq, request.SenderRole);
        return (alert, true);
    }

    /// <summary>
    /// Acknowledges an open or escalated alert. Changed is false when it was acknowledged already: it is returned as
    /// stored.
    /// </summary>
    /// <exception cref="ConsultationRuleException">No such alert for this client (NotFound).</exception>
    public async Task<(RiskAlertDto Alert, bool Changed)> AcknowledgeAsync(string alertId, string acknowledgedBy, string? note, DateTimeOffset now)
    {
        var index = _unacknowledged.FindIndex(a => a.AlertId == alertId);
        if (index < 0)
        {
            var stored = await store.FindAlertAsync(alertId);
            return stored is { Status: RiskAlertStatuses.Acknowledged } && stored.ClientId == clientId
                ? (stored, false)
                : throw ConsultationRuleException.NotFound("The alert");
        }

        var acknowledged = _unacknowledged[index] with
        {
            Status = RiskAlertStatuses.Acknowledged,
            AcknowledgedAt = now,
            AcknowledgedBy = acknowledgedBy,
        };
        await store.UpdateAlertAsync(acknowledged, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        _unacknowledged.RemoveAt(index);
        AlertAcknowledged(logger, alertId, clientId, acknowledgedBy);
        return (acknowledged, true);
    }

    /// <summary>The open alerts whose deadline has passed at <paramref name="now"/>.</summary>
    public IReadOnlyList<RiskAlertDto> DueForEscalation(DateTimeOffset now) =>
        [.. _unacknowledged.Where(a => a.Status == RiskAlertStatuses.Open && a.CreatedAt + options.AlertAcknowledgeTimeout <= now)];

    /// <summary>Escalates one alert of <see cref="DueForEscalation"/> to the supervisors.</summary>
    public async Task<RiskAlertDto> EscalateAsync(RiskAlertDto alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var escalated = alert with { Status = RiskAlertStatuses.Escalated, EscalatedAt = now };
        await store.UpdateAlertAsync(escalated, null, cancellationToken);
        _unacknowledged[_unacknowledged.IndexOf(alert)] = escalated;
        AlertEscalated(logger, alert.AlertId, clientId, options.AlertAcknowledgeTimeout);
        return escalated;
    }

    private static int Urgency(string category) => Enum.TryParse<RiskCategory>(category, ignoreCase: true, out var c)
        ? c switch
        {
            RiskCategory.PlanOrMeans => 0,
            RiskCategory.Suicide => 1,
            RiskCategory.SelfHarm => 2,
            _ => 3,
        }
        : 4;

    /// <summary>The C-SSRS screener step of a level's wire name (Posner et al. 2011); 0 for none or an unknown name.</summary>
    private static int LevelRank(string level) => Enum.TryParse<RiskLevel>(level, ignoreCase: true, out var l) && Enum.IsDefined(l) ? (int)l : 0;

    // The category is clinical content: it is in the alert store and the audit, never in the log.
    [LoggerMessage(1, LogLevel.Warning, "Risk alert {AlertId} raised for client {ClientId} on {SessionId}/{Seq} (sender role {SenderRole})")]
    private static partial void AlertRaised(ILogger logger, string alertId, string clientId, string sessionId, long seq, string senderRole);

    [LoggerMessage(2, LogLevel.Information, "Risk alert {AlertId} of client {ClientId} acknowledged by {UserId}")]
    private static partial void AlertAcknowledged(ILogger logger, string alertId, string clientId, string userId);

    [LoggerMessage(3, LogLevel.Warning, "Risk alert {AlertId} of client {ClientId} not acknowledged within {Timeout}: escalated to supervisors")]
    private static partial void AlertEscalated(ILogger logger, string alertId, string clientId, TimeSpan timeout);
}

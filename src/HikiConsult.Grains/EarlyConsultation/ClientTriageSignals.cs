using System.Globalization;
using System.Text;
using HikiConsult.Contracts;
using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Risk;
using HikiConsult.Domain.Triage;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// One client's triage signals: what the clinic's triage grain needs of the client (alerts not acknowledged, the
/// analytics, the latest PHQ-9 item 9 answer), and whether they changed since they were last sent, so that triage
/// hears of a client only when its result as a counselor reads it changes. Sending is
/// <see cref="ClientEarlyConsultationGrain"/>'s.
/// </summary>
internal sealed class ClientTriageSignals(string clientId, TriageWeights weights)
{
    private string? _lastSignature;

    public TriageSubject Subject(
        ClientDto client, IReadOnlyList<RiskAlertDto> unacknowledged, ItemAnswerObservation? phq9Item9, EngagementState engagement, DateTimeOffset now)
    {
        var inputs = new ClientTriageInputs
        {
            ClientId = clientId,
            UnacknowledgedAlerts = [.. unacknowledged.Select(a => new OpenRiskAlert(
                a.AlertId, Enum.Parse<RiskCategory>(a.Category, ignoreCase: true), a.CreatedAt, a.Status == RiskAlertStatuses.Escalated))],
            Phq9Item9 = phq9Item9,
        }.WithEngagement(engagement, now);
        return new TriageSubject(clientId, client.Alias, client.AssignedCounselorIds, inputs);
    }

    /// <summary>Whether <paramref name="subject"/> differs from the one triage has; it is the one triage has from now on.</summary>
    public bool Changed(TriageSubject subject, DateTimeOffset now)
    {
        var signature = Signature(subject, now);
        if (signature == _lastSignature)
        {
            return false;
        }

        _lastSignature = signature;
        return true;
    }

    /// <summary>What makes a triage update worth sending: the result as a counselor reads it, and the day of last contact.</summary>
    private string Signature(TriageSubject subject, DateTimeOffset now)
    {
        var result = TriageScorer.Score(subject.Inputs, weights, now);
        var text = new StringBuilder();
        text.Append(subject.ClientAlias).Append('|').AppendJoin(',', subject.AssignedCounselorIds).Append('|');
        text.Append(result.Score.ToString("F0", CultureInfo.InvariantCulture)).Append('|');
        foreach (var reason in result.Reasons)
        {
            text.Append(reason.Code).Append(':').Append(reason.Data).Append(';');
        }

        text.Append('|').Append(subject.Inputs.LastContactAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return text.ToString();
    }
}

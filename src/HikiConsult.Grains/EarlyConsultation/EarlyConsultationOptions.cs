namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>Configuration section "EarlyConsultation" (triage weights have their own section, "Triage").</summary>
public sealed class EarlyConsultationOptions
{
    public const string SectionName = "EarlyConsultation";

    /// <summary>The one clinic of this installation: the key of its triage and notifier grains.</summary>
    public const string DefaultClinic = "default";

    /// <summary>
    /// A risk alert not acknowledged within this time is escalated to every supervisor. Default 5 minutes.
    /// </summary>
    public TimeSpan AlertAcknowledgeTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the triage queue is rebuilt from every client's current signals, so that time-driven reasons
    /// (days since last contact, alert age, the four-week message window) move on without new events. Default 1 day.
    /// </summary>
    public TimeSpan TriageRefreshPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Session-history analytics are applied at once but message counts are written (and sent to triage) at most this
    /// long after a message arrives; alerts, assessments, Kato records, attendance and a session's first event and
    /// close are written at once. A crash loses nothing of the counts: on its next activation the client's grain reads
    /// its open sessions' logs on from the last write. Zero writes on every message. Each write comes between half and
    /// all of this delay after the first unwritten message, spread per client, so that clients that became busy
    /// together do not all write in the same instant. Default 30 seconds.
    /// </summary>
    public TimeSpan AnalyticsWriteDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest acknowledgement note, in characters. Default 2,000.</summary>
    public int MaxNoteLength { get; set; } = 2000;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (AlertAcknowledgeTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:{nameof(AlertAcknowledgeTimeout)} must be positive.");
        }

        if (TriageRefreshPeriod < TimeSpan.FromMinutes(1))
        {
            problems.Add($"{SectionName}:{nameof(TriageRefreshPeriod)} must be at least one minute.");
        }

        if (AnalyticsWriteDelay < TimeSpan.Zero || AnalyticsWriteDelay > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{SectionName}:{nameof(AnalyticsWriteDelay)} must be between 0 and 5 minutes.");
        }

        if (MaxNoteLength is < 1 or > 20_000)
        {
            problems.Add($"{SectionName}:{nameof(MaxNoteLength)} must be between 1 and 20000.");
        }

        return problems;
    }
}

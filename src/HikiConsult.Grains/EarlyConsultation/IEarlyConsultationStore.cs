using HikiConsult.Contracts;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// Durable records of the early consultation system: risk alerts, and per-client clinical records
/// (assessments, isolation records, research biomarker records). One client's early consultation grain is the
/// only writer of that client's rows; readers (the REST API's lists) only read. Records are append-only; an
/// alert changes status (open → escalated → acknowledged) in place.
/// </summary>
public interface IEarlyConsultationStore
{
    /// <summary>Stores a new alert. False when an alert for the same message (session, seq) exists already; nothing is written then.</summary>
    Task<bool> AddAlertAsync(RiskAlertDto alert, CancellationToken cancellationToken = default);

    /// <summary>Writes an alert's new status (and the acknowledgement note, kept for the clinic's records only).</summary>
    Task UpdateAlertAsync(RiskAlertDto alert, string? note, CancellationToken cancellationToken = default);

    Task<RiskAlertDto?> FindAlertAsync(string alertId, CancellationToken cancellationToken = default);

    /// <summary>The alert raised for one message, if any.</summary>
    Task<RiskAlertDto?> FindAlertForMessageAsync(string sessionId, long seq, CancellationToken cancellationToken = default);

    /// <summary>Alerts not acknowledged yet (open or escalated), oldest first; of one client, or of every client when null.</summary>
    Task<IReadOnlyList<RiskAlertDto>> ListUnacknowledgedAlertsAsync(string? clientId, CancellationToken cancellationToken = default);

    /// <summary>A client's alerts of every status, newest first, with their acknowledgement notes.</summary>
    Task<IReadOnlyList<RiskAlertRecord>> ListAlertHistoryAsync(string clientId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Clients with at least one alert still waiting to be escalated (status open).</summary>
    Task<IReadOnlyList<string>> ListClientsWithOpenAlertsAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends one clinical record of a kind (see <see cref="ClinicalRecordKinds"/>).</summary>
    Task AddRecordAsync<TRecord>(string kind, string clientId, string recordId, DateTimeOffset at, TRecord record, CancellationToken cancellationToken = default);

    /// <summary>A client's records of a kind, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TRecord>> ListRecordsAsync<TRecord>(string kind, string clientId, int limit, CancellationToken cancellationToken = default);
}

/// <summary>An alert with the note its acknowledger wrote (clinic record; not pushed to consoles).</summary>
public sealed record RiskAlertRecord(RiskAlertDto Alert, string? AcknowledgementNote);

/// <summary>Kinds of clinical record kept per client.</summary>
public static class ClinicalRecordKinds
{
    public const string Assessment = "assessment";
    public const string Isolation = "isolation";
    public const string Biomarker = "biomarker";
}

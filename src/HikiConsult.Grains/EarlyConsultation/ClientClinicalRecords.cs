using HikiConsult.Domain.Engagement;
using HikiConsult.Domain.Instruments;
using HikiConsult.Domain.Kato;
using HikiConsult.Domain.Research;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Grains.EarlyConsultation;

/// <summary>
/// One client's clinical records: scores assessments, classifies isolation records, presents research biomarkers, and
/// keeps each as a row in the store. What a record changes in the analytics and triage is
/// <see cref="ClientEarlyConsultationGrain"/>'s to apply.
/// </summary>
internal sealed partial class ClientClinicalRecords(string clientId, IEarlyConsultationStore store, InstrumentCatalog catalog, ILogger logger)
{
    /// <summary>Scores and keeps an assessment; returns the record and the score it was made from.</summary>
    public async Task<(AssessmentRecord Record, AssessmentResult Result)> KeepAssessmentAsync(AssessmentSubmission submission, DateTimeOffset now)
    {
        if (!CompletedBy.All.Contains(submission.CompletedBy))
        {
            throw ConsultationRuleException.Invalid($"'completedBy' must be one of: {string.Join(", ", CompletedBy.All)}.");
        }

        var result = catalog.Score(submission.Instrument, submission.Answers);
        var record = AssessmentRecord.From(RiskAlertIds.NewRecordId("as"), clientId, submission, result, now);
        await store.AddRecordAsync(ClinicalRecordKinds.Assessment, clientId, record.Id, now, record);
        RecordKept(logger, ClinicalRecordKinds.Assessment, record.Id, clientId);
        return (record, result);
    }

    /// <summary>Classifies (Kato 2020) and keeps an isolation record.</summary>
    public async Task<IsolationRecordEntry> KeepIsolationAsync(IsolationRecord record, string recordedBy, DateTimeOffset now)
    {
        var classification = KatoClassifier.Classify(record);
        var entry = new IsolationRecordEntry(
            RiskAlertIds.NewRecordId("ir"),
            clientId,
            now,
            recordedBy,
            record with { CoOccurringConditions = classification.CoOccurringConditions },
            classification);
        await store.AddRecordAsync(ClinicalRecordKinds.Isolation, clientId, entry.Id, now, entry);
        RecordKept(logger, ClinicalRecordKinds.Isolation, entry.Id, clientId);
        return entry;
    }

    /// <summary>Keeps a research biomarker record, dated in the client's <paramref name="timeZone"/>.</summary>
    public async Task<BiomarkerEntry> KeepBiomarkerAsync(BiomarkerRecord record, string recordedBy, string timeZone, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(ClientTime.Local(now, timeZone));
        var normalized = BiomarkerRecords.Normalize(record, today);
        var shown = BiomarkerRecords.Present(normalized);
        var entry = new BiomarkerEntry(
            RiskAlertIds.NewRecordId("bm"), clientId, now, recordedBy, shown.Record, shown.AnalyteName, shown.Finding, shown.Caveat, shown.Source, shown.Label);

        // Research data only: kept and shown, never folded into analytics or triage.
        await store.AddRecordAsync(ClinicalRecordKinds.Biomarker, clientId, entry.Id, now, entry);
        RecordKept(logger, ClinicalRecordKinds.Biomarker, entry.Id, clientId);
        return entry;
    }

    /// <summary>The newest records of one kind, at most <paramref name="limit"/> (1 to <see cref="ClientEarlyConsultationGrain.MaxListLimit"/>).</summary>
    public Task<IReadOnlyList<T>> ListAsync<T>(string kind, int limit) =>
        store.ListRecordsAsync<T>(kind, clientId, Math.Clamp(limit, 1, ClientEarlyConsultationGrain.MaxListLimit));

    [LoggerMessage(4, LogLevel.Information, "Clinical record kept: {Kind} {RecordId} of client {ClientId}")]
    private static partial void RecordKept(ILogger logger, string kind, string recordId, string clientId);
}

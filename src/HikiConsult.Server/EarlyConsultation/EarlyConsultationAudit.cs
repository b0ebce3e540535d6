namespace HikiConsult.Server.EarlyConsultation;

/// <summary>Audit actions for reads of early consultation records (one row per client whose data was returned).</summary>
public static class EarlyConsultationAudit
{
    public const string ClientTarget = "client";

    public const string AlertsRead = "client.alerts";
    public const string AssessmentsRead = "client.assessments";
    public const string IsolationRecordsRead = "client.isolation-records";
    public const string BiomarkersRead = "client.biomarkers";
    public const string TimelineRead = "client.timeline";
    public const string TriageRead = "client.triage";
}

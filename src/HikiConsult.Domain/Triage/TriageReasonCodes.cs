namespace HikiConsult.Domain.Triage;

public static class TriageReasonCodes
{
    public const string HighRiskAlert = "RISK_ALERT_HIGH";
    public const string RiskAlert = "RISK_ALERT";
    public const string EscalatedAlert = "RISK_ALERT_ESCALATED";
    public const string CssrsHigh = "CSSRS_HIGH";
    public const string CssrsModerate = "CSSRS_MODERATE";
    public const string CssrsLow = "CSSRS_LOW";
    public const string Phq9Item9 = "PHQ9_ITEM9";
    public const string PreHikikomori = "KATO_PRE_HIKIKOMORI";
    public const string Hikikomori = "KATO_HIKIKOMORI";
    public const string KatoProgression = "KATO_PROGRESSION";
    public const string FallingEngagement = "ENGAGEMENT_FALLING";
    public const string NoShowStreak = "NO_SHOW_STREAK";
    public const string NoRecentContact = "NO_RECENT_CONTACT";
    public const string RisingHq25 = "HQ25_RISING";
    public const string NightActivity = "NIGHT_ACTIVITY";
    public const string NightShift = "NIGHT_SHIFT";
}

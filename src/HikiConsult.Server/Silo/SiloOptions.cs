namespace HikiConsult.Server.Silo;

/// <summary>Configuration section "Orleans": the silo this process hosts.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Orleans";

    /// <summary>Port for silo-to-silo traffic. Default 0: a free loopback port chosen at start (the embedded single silo).</summary>
    public int SiloPort { get; set; }

    /// <summary>Port for external Orleans clients. Default 0: a free loopback port chosen at start.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Orleans' cluster id: silos with the same id form one cluster. Default "hikiconsult".</summary>
    public string ClusterId { get; set; } = "hikiconsult";

    /// <summary>Orleans' service id: stable across deployments, part of the key of stored grain state. Default "hikiconsult".</summary>
    public string ServiceId { get; set; } = "hikiconsult";

    /// <summary>
    /// Shortest period a reminder may have. Default 1 minute (Orleans' default); the escalation and refresh reminders
    /// use their configured periods, never shorter than this.
    /// </summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

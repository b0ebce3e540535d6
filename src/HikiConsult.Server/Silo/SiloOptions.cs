namespace HikiConsult.Server.Silo;

/// <summary>Configuration section "Orleans": the silo this process hosts.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Orleans";

    /// <summary>Port for silo-to-silo traffic. Default 0: a free port chosen at start (each node records its own in the membership table).</summary>
    public int SiloPort { get; set; }

    /// <summary>Port for external Orleans clients. Default 0: a free port chosen at start.</summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// The address other silos reach this one at, in a cluster (Storage:Provider=Postgres). Default "127.0.0.1"
    /// (every node on one machine); in containers, the node's host name on the cluster network (resolved at start).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

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

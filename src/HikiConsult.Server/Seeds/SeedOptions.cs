namespace HikiConsult.Server.Seeds;

/// <summary>Configuration section "Seeds".</summary>
public sealed class SeedOptions
{
    public const string SectionName = "Seeds";

    /// <summary>
    /// "auto" (default): load the demo seed into a new database, except in the Production environment.
    /// "true": the same, and an error is logged when Production refuses it. "false": never.
    /// </summary>
    public string Demo { get; set; } = "auto";

    /// <summary>The demo seed file. Default: seeds/demo.json next to the server's binaries.</summary>
    public string? DemoFile { get; set; }

    /// <summary>With <see cref="BootstrapAdminPassword"/>: creates this admin account in a database without accounts (for Production). Default none.</summary>
    public string? BootstrapAdminUsername { get; set; }

    /// <summary>The password of <see cref="BootstrapAdminUsername"/>. Default none.</summary>
    public string? BootstrapAdminPassword { get; set; }
}

/// <summary>The shape of seeds/demo.json.</summary>
public sealed record DemoSeed(string Notice, string Password, IReadOnlyList<DemoUser> Users, IReadOnlyList<DemoClient> Clients);

public sealed record DemoUser(string Username, string DisplayName, string Role);

public sealed record DemoClient(string Alias, string Language, string TimeZone, string Counselor, IReadOnlyList<string> Consents, double SessionInHours);

namespace HikiConsult.Server.Silo;

/// <summary>Configuration section "Dashboard": the Orleans Dashboard, for admins.</summary>
public sealed class AdminDashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// Whether the dashboard is served at <see cref="Path"/>. Default: on, except in the Production environment, where
    /// it is served only when set to true.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Where the dashboard is served. Default "/dashboard".</summary>
    public string Path { get; set; } = "/dashboard";

    public static AdminDashboardOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<AdminDashboardOptions>() ?? new AdminDashboardOptions();

    public bool IsEnabledIn(IHostEnvironment environment) => Enabled ?? !environment.IsProduction();
}

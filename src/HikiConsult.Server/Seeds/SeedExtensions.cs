namespace HikiConsult.Server.Seeds;

public static class SeedExtensions
{
    /// <summary>Registers the seeder; call after AddStorage so that it runs once the grain host is up.</summary>
    public static WebApplicationBuilder AddSeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.SectionName);
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}

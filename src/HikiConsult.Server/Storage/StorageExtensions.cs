using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Storage;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;

namespace HikiConsult.Server.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// One SQLite file (WAL) under the data directory holds everything: the server's tables (schema created on
    /// start), the session event log and, through the grain host's SQLite provider, grain state. Frequent writes
    /// (the session log, grain state, alerts, audit) share one <see cref="SqliteWriteQueue"/>. Also registers
    /// the grain host with this project's grains.
    /// </summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var settings = StorageSettings.Resolve(options, builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<DatabaseStatus>();

        // Registered before the grain host so that the schema exists before the first grain runs.
        services.AddHostedService<DatabaseInitializer>();
        services.AddSingleton<WalCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<WalCheckpointer>());
        services.AddSingleton(sp => new SqliteWriteQueue(
            sp.GetRequiredService<SqliteDatabase>().OpenWriterAsync, sp.GetRequiredService<ILogger<SqliteWriteQueue>>()));
        services.AddSingleton<ISessionEventStore, SqliteSessionEventStore>();
        services.AddSingleton<IClientDirectory, SqliteClientDirectory>();

        builder.AddGrainHost(host => host
            .AddGrainsFromAssemblyOf<ClientGrain>()
            .AddSqliteGrainStorage("Default", o =>
            {
                o.ConnectionString = settings.ConnectionString;
                o.Synchronous = settings.Synchronous;
                o.WalAutoCheckpointPages = settings.WalAutoCheckpointPages;
            }));

        // Grain state goes through the same single writer as the session log: one writer, no lock waits.
        services.AddOptions<SqliteGrainStorageOptions>("Default").Configure<SqliteWriteQueue>((o, queue) => o.WriteQueue = queue);
        return builder;
    }
}

using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using HikiConsult.Storage.Sqlite;

namespace HikiConsult.Server.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// One SQLite file (WAL) under the data directory holds everything: the server's tables (schema created on
    /// start), the session event log and, through the silo's SQLite providers, grain state and reminders. Frequent
    /// writes (the session log, grain state, alerts, audit) share one <see cref="SqliteWriteQueue"/>.
    /// </summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var settings = StorageSettings.Resolve(options, builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<DatabaseStatus>();

        // Registered before the silo so that the schema exists before the first grain runs.
        services.AddHostedService<DatabaseInitializer>();
        services.AddSingleton<WalCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<WalCheckpointer>());
        services.AddSingleton(sp => new SqliteWriteQueue(
            sp.GetRequiredService<SqliteDatabase>().OpenWriterAsync, sp.GetRequiredService<ILogger<SqliteWriteQueue>>()));
        services.AddSingleton<ISessionEventStore, SqliteSessionEventStore>();
        services.AddSingleton<IClientDirectory, SqliteClientDirectory>();

        return builder;
    }
}

using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using HikiConsult.Storage.Postgres;
using HikiConsult.Storage.Sqlite;
using Npgsql;

namespace HikiConsult.Server.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// The configured provider (<see cref="StorageOptions.Provider"/>) for the server's tables and the session log,
    /// with its schema brought up to date on start, before the silo starts. SQLite: one file (WAL) under the data
    /// directory, frequent writes (the session log, grain state, alerts, audit) through one <see cref="SqliteWriteQueue"/>.
    /// PostgreSQL: one pooled data source per node, shared with the silo's clustering, grain state and reminders.
    /// </summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var settings = StorageSettings.Resolve(options, builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<DatabaseStatus>();
        services.AddSingleton<IClientDirectory, ClientDirectory>();
        if (settings.Provider == StorageProvider.Postgres)
        {
            services.AddSingleton(new PostgresStorage(NpgsqlDataSource.Create(settings.ConnectionString)));
            services.AddSingleton(sp => sp.GetRequiredService<PostgresStorage>().DataSource);
            services.AddSingleton<IDatabase, PostgresDatabase>();
            services.AddSingleton<ISessionEventStore, PostgresSessionEventStore>();

            // Registered before the silo, whose providers read the tables this creates.
            services.AddHostedService<PostgresSchemaInitializer>();
            return builder;
        }

        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton(sp => new SqliteWriteQueue(
            sp.GetRequiredService<SqliteDatabase>().OpenWriterAsync, sp.GetRequiredService<ILogger<SqliteWriteQueue>>()));
        services.AddSingleton<IDatabase, SqliteServerDatabase>();
        services.AddSingleton<ISessionEventStore, SqliteSessionEventStore>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddSingleton<WalCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<WalCheckpointer>());
        return builder;
    }

    /// <summary>The storage settings <see cref="AddStorage"/> registered, for wiring that happens before the container is built.</summary>
    internal static StorageSettings GetStorageSettings(this IServiceCollection services) =>
        (StorageSettings)services.Single(d => d.ServiceType == typeof(StorageSettings)).ImplementationInstance!;

    /// <summary>The node's PostgreSQL data source when <see cref="AddStorage"/> chose PostgreSQL.</summary>
    internal static PostgresStorage? FindPostgresStorage(this IServiceCollection services) =>
        services.SingleOrDefault(d => d.ServiceType == typeof(PostgresStorage))?.ImplementationInstance as PostgresStorage;
}

/// <summary>The node's one PostgreSQL data source (pooled connections), owned by the container.</summary>
public sealed record PostgresStorage(NpgsqlDataSource DataSource) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;

namespace HikiConsult.Storage.Sqlite;

/// <summary>Registers the SQLite providers on an Orleans silo, as Orleans' own providers register theirs.</summary>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>Grain storage named <paramref name="name"/> in a SQLite file.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        builder.Services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure);
        builder.Services.AddGrainStorage(name, static (services, name) => new SqliteGrainStorage(
            name,
            services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name),
            services.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        return builder;
    }

    /// <summary>Orleans reminders, kept in a SQLite file.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<SqliteReminderTableOptions> configure)
    {
        builder.AddReminders();
        builder.Services.AddOptions<SqliteReminderTableOptions>().Configure(configure);
        builder.Services.AddSingleton<IReminderTable>(services => new SqliteReminderTable(
            services.GetRequiredService<IOptions<SqliteReminderTableOptions>>().Value,
            services.GetRequiredService<ILogger<SqliteReminderTable>>()));
        return builder;
    }
}

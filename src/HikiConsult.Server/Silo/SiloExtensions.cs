using System.Net;
using System.Net.Sockets;
using HikiConsult.Grains;
using HikiConsult.Server.Storage;
using HikiConsult.Storage.Sqlite;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;

namespace HikiConsult.Server.Silo;

public static class SiloExtensions
{
    /// <summary>
    /// Co-hosts one Orleans silo in this process, beside Kestrel, the hubs and the REST API: localhost clustering,
    /// grain state and reminders in the server's SQLite file through its one writer, and the admins' dashboard.
    /// </summary>
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        var storage = StorageSettings.Resolve(
            builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions(),
            builder.Environment.ContentRootPath);

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: options.SiloPort == 0 ? FreeLoopbackPort() : options.SiloPort,
                gatewayPort: options.GatewayPort == 0 ? FreeLoopbackPort() : options.GatewayPort,
                serviceId: options.ServiceId,
                clusterId: options.ClusterId);
            silo.Services.AddSerializer(serializer => serializer.AddHikiConsultSerialization());
            silo.AddSqliteGrainStorage("Default", o =>
            {
                o.ConnectionString = storage.ConnectionString;
                o.Synchronous = storage.Synchronous;
                o.WalAutoCheckpointPages = storage.WalAutoCheckpointPages;
            });
            silo.UseSqliteReminderService(o => o.ConnectionString = storage.ConnectionString);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = options.MinimumReminderPeriod);
            silo.AddAdminDashboard(AdminDashboardOptions.From(builder.Configuration), builder.Environment);
        });

        // Grain state and reminders go through the same single writer as the session log: one writer, no lock waits.
        builder.Services.AddOptions<SqliteGrainStorageOptions>("Default").Configure<SqliteWriteQueue>((o, queue) => o.WriteQueue = queue);
        builder.Services.AddOptions<SqliteReminderTableOptions>().Configure<SqliteWriteQueue>((o, queue) => o.WriteQueue = queue);

        builder.Services.UseHostClockForGrainTimersOnly();
        return builder;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

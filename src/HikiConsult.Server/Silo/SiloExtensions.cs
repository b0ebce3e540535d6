using System.Net;
using System.Net.Sockets;
using HikiConsult.Grains;
using HikiConsult.Server.Storage;
using HikiConsult.Storage.Postgres;
using HikiConsult.Storage.Sqlite;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;

namespace HikiConsult.Server.Silo;

public static class SiloExtensions
{
    /// <summary>Name of the grain storage every grain uses.</summary>
    private const string GrainStorageName = "Default";

    /// <summary>
    /// Co-hosts one Orleans silo in this process, beside Kestrel, the hubs and the REST API, on the storage that
    /// <see cref="StorageExtensions.AddStorage"/> chose: SQLite gives one silo with localhost clustering, grain state
    /// and reminders in the server's file through its one writer; PostgreSQL gives a node of a cluster, its membership,
    /// grain state and reminders in the shared database. Plus the admins' dashboard.
    /// </summary>
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        var storage = builder.Services.GetStorageSettings();
        var postgres = builder.Services.FindPostgresStorage();
        var siloPort = options.SiloPort == 0 ? FreePort() : options.SiloPort;
        var gatewayPort = options.GatewayPort == 0 ? FreePort() : options.GatewayPort;

        builder.UseOrleans(silo =>
        {
            if (postgres is null)
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddSqliteGrainStorage(GrainStorageName, o =>
                {
                    o.ConnectionString = storage.ConnectionString;
                    o.Synchronous = storage.Synchronous;
                    o.WalAutoCheckpointPages = storage.WalAutoCheckpointPages;
                });
                silo.UseSqliteReminderService(o => o.ConnectionString = storage.ConnectionString);
            }
            else
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                });
                silo.ConfigureEndpoints(ResolveAddress(options.AdvertisedAddress), siloPort, gatewayPort, listenOnAnyHostAddress: true);
                silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(ClusterMembershipSection));
                silo.UsePostgresClusterStorage(postgres.DataSource, GrainStorageName);
            }

            silo.Services.AddSerializer(serializer => serializer.AddHikiConsultSerialization());
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = options.MinimumReminderPeriod);
            silo.AddAdminDashboard(AdminDashboardOptions.From(builder.Configuration), builder.Environment);
        });

        if (postgres is null)
        {
            // Grain state and reminders go through the same single writer as the session log: one writer, no lock waits.
            builder.Services.AddOptions<SqliteGrainStorageOptions>(GrainStorageName).Configure<SqliteWriteQueue>((o, queue) => o.WriteQueue = queue);
            builder.Services.AddOptions<SqliteReminderTableOptions>().Configure<SqliteWriteQueue>((o, queue) => o.WriteQueue = queue);
        }

        builder.Services.UseHostClockForGrainTimersOnly();
        return builder;
    }

    /// <summary>
    /// Orleans' failure detection (<see cref="ClusterMembershipOptions"/>: ProbeTimeout, NumMissedProbesLimit,
    /// TableRefreshTimeout, DefunctSiloExpiration, …), bound as is; unset keys keep Orleans' defaults. See docs/operations.md.
    /// </summary>
    public const string ClusterMembershipSection = "Orleans:Membership";

    /// <summary>An IP address as is; a host name (a container's service name) resolved to its first IPv4 address.</summary>
    private static IPAddress ResolveAddress(string address) =>
        IPAddress.TryParse(address, out var ip)
            ? ip
            : Dns.GetHostAddresses(address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
              ?? throw new InvalidOperationException($"Orleans:AdvertisedAddress '{address}' has no IPv4 address.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

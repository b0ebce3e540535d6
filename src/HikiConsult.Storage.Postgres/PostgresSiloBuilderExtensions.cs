using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;

namespace HikiConsult.Storage.Postgres;

public static class PostgresSiloBuilderExtensions
{
    /// <summary>Orleans' ADO.NET invariant of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Membership, grain state (as <paramref name="storageName"/>) and reminders in PostgreSQL through Orleans' ADO.NET
    /// providers, on the node's one data source. The tables and queries they read come from <see cref="PostgresMigrations"/>,
    /// which must have run first.
    /// </summary>
    public static ISiloBuilder UsePostgresClusterStorage(this ISiloBuilder silo, NpgsqlDataSource dataSource, string storageName)
    {
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.DataSource = dataSource;
        });
        silo.AddAdoNetGrainStorage(storageName, o =>
        {
            o.Invariant = Invariant;
            o.DataSource = dataSource;
            o.GrainStorageSerializer = new JsonGrainStateSerializer();

            // A cleared state leaves no row (a client's erasure clears its grains' state).
            o.DeleteStateOnClear = true;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.DataSource = dataSource;
        });
        return silo;
    }
}

using HikiConsult.Storage.Postgres;

namespace HikiConsult.Server.Storage;

/// <summary>
/// Applies the PostgreSQL migrations before anything else starts. Of several nodes starting on a new database,
/// exactly one applies the product's tables and so sees the database as new (and seeds it).
/// </summary>
internal sealed class PostgresSchemaInitializer(PostgresStorage storage, DatabaseStatus status, ILogger<PostgresSchemaInitializer> logger) : IHostedService
{
    private const int ProductTablesVersion = 2;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await PostgresMigrations.ApplyAsync(storage.DataSource, logger, cancellationToken);
        status.MarkReady(isNew: applied.Contains(ProductTablesVersion));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Dapper;
using HikiConsult.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HikiConsult.Server.Health;

/// <summary>Ready when the schema is in place and the database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDatabase database, DatabaseStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!status.IsReady)
        {
            return HealthCheckResult.Unhealthy("The schema is not created yet.");
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM meta", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}

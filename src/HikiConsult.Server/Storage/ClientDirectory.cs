using Dapper;
using HikiConsult.Grains.Clients;

namespace HikiConsult.Server.Storage;

/// <summary>Every client id ever created, for the start-up scans that wake clients' grains.</summary>
public sealed class ClientDirectory(IDatabase database) : IClientDirectory
{
    public async Task AddAsync(string clientId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO client_directory (client_id, created_at) VALUES (@clientId, @createdAt) ON CONFLICT DO NOTHING",
            new { clientId, createdAt = createdAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT client_id FROM client_directory ORDER BY created_at, client_id", cancellationToken: cancellationToken));
        return [.. ids];
    }
}

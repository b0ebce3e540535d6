using Dapper;
using HikiConsult.Contracts;
using HikiConsult.Server.Storage;

namespace HikiConsult.Server.Devices;

/// <summary>A paired device.</summary>
public sealed record DeviceRecord(string Id, string ClientId, string Kind, string Name, DateTimeOffset PairedAt, DateTimeOffset? RevokedAt)
{
    public DeviceInfo ToInfo() => new(Id, Kind, Name, PairedAt, RevokedAt is not null);
}

/// <summary>The devices table: the authority on whether a device token still works.</summary>
public sealed class DeviceStore(IDatabase database, TimeProvider time)
{
    public async Task<DeviceRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(
            "SELECT id AS Id, client_id AS ClientId, kind AS Kind, name AS Name, paired_at AS PairedAt, revoked_at AS RevokedAt FROM devices WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<bool> IsActiveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM devices WHERE id = @id AND revoked_at IS NULL", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Revokes the device; false when it was revoked already.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE devices SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) > 0;
    }

    private sealed record DeviceRow(string Id, string ClientId, string Kind, string Name, long PairedAt, long? RevokedAt)
    {
        public DeviceRecord ToRecord() => new(Id, ClientId, Kind, Name, DateTimeOffset.FromUnixTimeMilliseconds(PairedAt),
            RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
    }
}

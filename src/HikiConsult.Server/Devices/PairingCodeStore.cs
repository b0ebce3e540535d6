using System.Security.Cryptography;
using System.Text;
using Dapper;
using HikiConsult.Grains;
using HikiConsult.Server.Storage;

namespace HikiConsult.Server.Devices;

/// <summary>
/// Pairing codes: eight digits shown as "1234-5678", easy to read aloud on the phone in any language. Single
/// use, valid for <see cref="Lifetime"/>. Only a hash is stored. Guessing is bounded by the rate limit on
/// pairing and the short lifetime.
/// </summary>
public sealed class PairingCodeStore(IDatabase database, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private const int Digits = 8;

    public async Task<(string Code, DateTimeOffset ExpiresAt)> CreateAsync(string clientId, string kind, string createdBy, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((now + Lifetime).ToUnixTimeMilliseconds());
        await using var connection = await database.OpenAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var digits = RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO pairing_codes (code_hash, client_id, kind, created_by, created_at, expires_at) VALUES (@hash, @clientId, @kind, @createdBy, @now, @expiresAt) ON CONFLICT DO NOTHING",
                new { hash = Hash(digits), clientId, kind, createdBy, now = now.ToUnixTimeMilliseconds(), expiresAt = expiresAt.ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken));
            if (inserted == 1)
            {
                return ($"{digits[..4]}-{digits[4..]}", expiresAt);
            }

            if (attempt > 10)
            {
                throw new InvalidOperationException("Could not find a free pairing code.");
            }
        }
    }

    /// <summary>
    /// Uses the code and records the new device in one transaction. Null for an unknown, used or expired code
    /// (the caller must not say which).
    /// </summary>
    public async Task<DeviceRecord?> RedeemAsync(string code, string deviceName, CancellationToken cancellationToken = default)
    {
        var digits = Normalize(code);
        if (digits is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deviceId = EntityIds.NewDeviceId();
        var claimed = await connection.QuerySingleOrDefaultAsync<ClaimedCode>(new CommandDefinition(
            "UPDATE pairing_codes SET used_at = @nowMs, device_id = @deviceId WHERE code_hash = @hash AND used_at IS NULL AND expires_at > @nowMs " +
            "RETURNING client_id AS ClientId, kind AS Kind",
            new { nowMs, deviceId, hash = Hash(digits) },
            transaction,
            cancellationToken: cancellationToken));
        if (claimed is null)
        {
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO devices (id, client_id, kind, name, paired_at) VALUES (@deviceId, @ClientId, @Kind, @deviceName, @nowMs)",
            new { deviceId, claimed.ClientId, claimed.Kind, deviceName, nowMs },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new DeviceRecord(deviceId, claimed.ClientId, claimed.Kind, deviceName, DateTimeOffset.FromUnixTimeMilliseconds(nowMs), null);
    }

    /// <summary>The eight digits of a code as typed ("1234-5678", "1234 5678", "12345678"), or null.</summary>
    public static string? Normalize(string? code)
    {
        if (code is null || code.Length > 32)
        {
            return null;
        }

        var digits = new StringBuilder(Digits);
        foreach (var c in code)
        {
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-'))
            {
                return null;
            }
        }

        return digits.Length == Digits ? digits.ToString() : null;
    }

    private static string Hash(string digits) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(digits)));

    private sealed record ClaimedCode(string ClientId, string Kind);
}

namespace HikiConsult.Contracts;

public sealed record CreateClientRequest(string Alias, string? Language, string? TimeZone = null);

public sealed record ConsentRecord(string Scope, DateTimeOffset GivenAt, string RecordedBy);

public sealed record DeviceInfo(string DeviceId, string Kind, string Name, DateTimeOffset PairedAt, bool Revoked);

public sealed record ClientDto(
    string Id,
    string Alias,
    string Language,
    string TimeZone,
    string Status,
    IReadOnlyList<string> AssignedCounselorIds,
    IReadOnlyList<ConsentRecord> Consents,
    IReadOnlyList<DeviceInfo> Devices,
    DateTimeOffset CreatedAt);

public sealed record CreatePairingCodeRequest(string Kind);

public sealed record PairingCodeResponse(string Code, DateTimeOffset ExpiresAt);

public sealed record PairDeviceRequest(string Code, string DeviceName);

public sealed record PairDeviceResponse(string DeviceId, string AccessToken, string ClientId, string Kind);

/// <summary>Kinds of device a client can pair.</summary>
public static class DeviceKinds
{
    public const string Avatar = "avatar";
    public const string Robot = "robot";
    public const string Family = "family";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Avatar, Robot, Family };
}

using Orleans;

namespace HikiConsult.Contracts;

[GenerateSerializer, Immutable, Alias("hc.CreateClientRequest")]
public sealed record CreateClientRequest(string Alias, string? Language, string? TimeZone = null);

[GenerateSerializer, Immutable, Alias("hc.ConsentRecord")]
public sealed record ConsentRecord(string Scope, DateTimeOffset GivenAt, string RecordedBy);

[GenerateSerializer, Immutable, Alias("hc.DeviceInfo")]
public sealed record DeviceInfo(string DeviceId, string Kind, string Name, DateTimeOffset PairedAt, bool Revoked);

[GenerateSerializer, Immutable, Alias("hc.ClientDto")]
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

[GenerateSerializer, Immutable, Alias("hc.CreatePairingCodeRequest")]
public sealed record CreatePairingCodeRequest(string Kind);

[GenerateSerializer, Immutable, Alias("hc.PairingCodeResponse")]
public sealed record PairingCodeResponse(string Code, DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("hc.PairDeviceRequest")]
public sealed record PairDeviceRequest(string Code, string DeviceName);

[GenerateSerializer, Immutable, Alias("hc.PairDeviceResponse")]
public sealed record PairDeviceResponse(string DeviceId, string AccessToken, string ClientId, string Kind);

/// <summary>Kinds of device a client can pair.</summary>
public static class DeviceKinds
{
    public const string Avatar = "avatar";
    public const string Robot = "robot";
    public const string Family = "family";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Avatar, Robot, Family };
}

/// <summary>What an erasure answers: the client erased, when, and how many of its sessions went with it.</summary>
[GenerateSerializer, Immutable, Alias("hc.ErasureReceipt")]
public sealed record ErasureReceipt(string ClientId, DateTimeOffset ErasedAt, int Sessions);

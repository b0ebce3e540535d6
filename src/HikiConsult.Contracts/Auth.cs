using Orleans;

namespace HikiConsult.Contracts;

[GenerateSerializer, Immutable, Alias("hc.LoginRequest")]
public sealed record LoginRequest(string Username, string Password);

[GenerateSerializer, Immutable, Alias("hc.UserInfo")]
public sealed record UserInfo(string Id, string DisplayName, string Role);

[GenerateSerializer, Immutable, Alias("hc.LoginResponse")]
public sealed record LoginResponse(string AccessToken, DateTimeOffset ExpiresAt, UserInfo User);

/// <summary>Roles carried in tokens and in event senders.</summary>
public static class Roles
{
    public const string Counselor = "counselor";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    /// <summary>A paired avatar app or robot, acting for the client.</summary>
    public const string Client = "client";

    /// <summary>A paired device of a family member.</summary>
    public const string Family = "family";

    /// <summary>The server itself (joins, leaves, state changes).</summary>
    public const string System = "system";
}

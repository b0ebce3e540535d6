using Orleans;
using Orleans.Concurrency;
using HikiConsult.Contracts;

namespace HikiConsult.Grains.Clients;

/// <summary>
/// One shut-in client (key: client id). Holds the pseudonymous record: alias, language, consents, assigned
/// counselors, paired devices, status, and a summary of the client's sessions. No real name is needed.
/// </summary>
[Alias("hc.IClientGrain")]
public interface IClientGrain : IGrainWithStringKey
{
    /// <summary>Creates the record; fails with a conflict if it exists.</summary>
    Task<ClientDto> Create(NewClient client);

    /// <summary>The record, or null when there is no such client.</summary>
    [ReadOnly]
    Task<ClientDto?> Get();

    /// <summary>Assigns a counselor (idempotent) and adds the client to the counselor's caseload.</summary>
    Task<ClientDto> AssignCounselor(string counselorId);

    Task<ClientDto> RecordConsent(ConsentRecord consent);

    Task AddDevice(DeviceInfo device);

    /// <summary>Marks a device revoked in the record (the device table is the authority for tokens).</summary>
    Task RevokeDevice(string deviceId);

    /// <summary>Called by a session grain when one of the client's sessions is created or changes state.</summary>
    Task SessionChanged(ClientSessionSummary summary);

    [ReadOnly]
    Task<IReadOnlyList<ClientSessionSummary>> GetSessions();

    /// <summary>Erasure: deletes the record's state row and ends the activation; the client is unknown from then on.</summary>
    Task Erase();
}

/// <summary>What is needed to create a client record.</summary>
[GenerateSerializer, Immutable, Alias("hc.NewClient")]
public sealed record NewClient(string Alias, string Language, string TimeZone, string CreatedBy, string? AssignCounselorId);

/// <summary>A client's view of one of its sessions.</summary>
[GenerateSerializer, Immutable, Alias("hc.ClientSessionSummary")]
public sealed record ClientSessionSummary(string SessionId, string State, DateTimeOffset? ScheduledAt, DateTimeOffset CreatedAt, bool FamilyOnly)
{
    public bool IsOpen => SessionStates.IsOpen(State);
}

/// <summary>Client statuses.</summary>
public static class ClientStatuses
{
    public const string Active = "active";
}

using HikiConsult.Contracts;

namespace HikiConsult.Grains.Clients;

/// <summary>Durable state of <see cref="ClientGrain"/>. Immutable: every change writes a new instance.</summary>
public sealed record ClientState
{
    public bool Created { get; init; }
    public string Alias { get; init; } = "";
    public string Language { get; init; } = "en";
    public string TimeZone { get; init; } = "UTC";
    public string Status { get; init; } = ClientStatuses.Active;
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public IReadOnlyList<string> AssignedCounselorIds { get; init; } = [];
    public IReadOnlyList<ConsentRecord> Consents { get; init; } = [];
    public IReadOnlyList<DeviceInfo> Devices { get; init; } = [];
    public IReadOnlyList<ClientSessionSummary> Sessions { get; init; } = [];
}

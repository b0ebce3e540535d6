namespace HikiConsult.Grains.Clients;

/// <summary>
/// The list of all client ids of the clinic (what a supervisor sees). Grain state is addressed by key and
/// cannot be enumerated, so client grains register themselves here on creation.
/// </summary>
public interface IClientDirectory
{
    /// <summary>Registers a client id; idempotent.</summary>
    Task AddAsync(string clientId, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <summary>All client ids, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}

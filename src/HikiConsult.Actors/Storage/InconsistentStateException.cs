namespace HikiConsult.Actors.Storage;

/// <summary>
/// The stored record changed since this activation read it (another writer won). The runtime deactivates
/// the activation after the current turn, so the next call reads fresh state.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message, string? storedEtag, string? currentEtag)
        : base(message)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    /// <summary>The etag in the store.</summary>
    public string? StoredEtag { get; }

    /// <summary>The etag the activation held.</summary>
    public string? CurrentEtag { get; }
}

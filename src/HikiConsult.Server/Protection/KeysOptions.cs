using HikiConsult.Server.Storage;

namespace HikiConsult.Server.Protection;

/// <summary>Configuration section "Keys": where the data keys and the token signing key live, apart from the database.</summary>
public sealed class KeysOptions
{
    public const string SectionName = "Keys";

    /// <summary>
    /// The key directory, relative to the content root. Default: <c>keys</c> next to the data directory (its sibling),
    /// so that a copy of the data directory holds no key. Every node of a cluster points at the same directory.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Age of the newest data key after which the next write makes a new one. Default 90 days; 0 never.</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);
}

/// <summary>The resolved key directory.</summary>
public sealed record KeysSettings(string Directory, TimeSpan RotationInterval)
{
    public static KeysSettings Resolve(KeysOptions options, StorageSettings storage, string contentRoot)
    {
        var directory = string.IsNullOrWhiteSpace(options.Directory)
            ? Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(storage.DataDirectory)) ?? storage.DataDirectory, "keys")
            : Path.GetFullPath(options.Directory, contentRoot);
        if (options.RotationInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Keys:RotationInterval must be 0 (never) or more.");
        }

        if (Path.GetFullPath(directory) == Path.GetFullPath(storage.DataDirectory))
        {
            throw new InvalidOperationException("Keys:Directory must not be the data directory.");
        }

        return new KeysSettings(directory, options.RotationInterval);
    }
}

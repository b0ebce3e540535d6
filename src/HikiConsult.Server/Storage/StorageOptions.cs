namespace HikiConsult.Server.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Where the database file and the generated signing key live; relative to the content root. Default "data".</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>A full Microsoft.Data.Sqlite connection string; overrides the file under <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite's synchronous level for this server's writes. "NORMAL" (default) keeps every committed write
    /// across a process crash (kill -9) in WAL mode; "FULL" survives power loss too, at the cost of an fsync per commit.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";
}

/// <summary>The resolved storage settings used by every store.</summary>
public sealed record StorageSettings(string DataDirectory, string ConnectionString, string Synchronous)
{
    public static StorageSettings Resolve(StorageOptions options, string contentRoot)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory, contentRoot);
        var connectionString = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? $"Data Source={Path.Combine(dataDirectory, "hikiconsult.db")};Pooling=True"
            : options.ConnectionString;
        var synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "NORMAL" or "FULL" or "EXTRA" => options.Synchronous.ToUpperInvariant(),
            _ => throw new InvalidOperationException("Storage:Synchronous must be NORMAL, FULL or EXTRA."),
        };
        return new StorageSettings(dataDirectory, connectionString, synchronous);
    }
}

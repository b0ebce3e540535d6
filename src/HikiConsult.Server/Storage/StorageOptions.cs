namespace HikiConsult.Server.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// Where the data lives: <see cref="StorageProvider.Sqlite"/> (default: one file under <see cref="DataDirectory"/>,
    /// one node) or <see cref="StorageProvider.Postgres"/> (a database shared by the nodes of a cluster; needs
    /// <see cref="ConnectionString"/>).
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Where the database file lives (0700; keys are apart, see Keys:Directory); relative to the content root. Default "data".</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite: a full Microsoft.Data.Sqlite connection string, overriding the file under <see cref="DataDirectory"/>.
    /// PostgreSQL: the Npgsql connection string (required), e.g. "Host=db;Port=5432;Username=hikiconsult;Password=…;Database=hikiconsult".
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite's synchronous level for this server's writes. "NORMAL" (default) keeps every committed write
    /// across a process crash (kill -9) in WAL mode; "FULL" survives power loss too, at the cost of an fsync per commit.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";

    /// <summary>
    /// How often the background checkpointer copies the write-ahead log back into the database file. Default 1 s.
    /// It runs on its own connection and never takes the write lock (a PASSIVE checkpoint), so commits, which
    /// acknowledge messages, never wait for checkpoint I/O.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// WAL size in pages (4 KiB) from which a committing connection checkpoints by itself, stalling its commit.
    /// Default 65,536 (256 MiB): a safety net only, reached if the background checkpointer cannot keep up.
    /// SQLite's own default of 1,000 would checkpoint on the commit path many times a second under a busy
    /// session log. Applied to every connection, grain storage included.
    /// </summary>
    public int WalAutoCheckpointPages { get; set; } = 65_536;

    /// <summary>
    /// WAL size in pages (4 KiB) from which, after a background checkpoint, the single writer copies the frames
    /// written meanwhile itself, between two transactions, so that the log starts over from its beginning and the
    /// file stops growing. Default 32,768 (128 MiB): under 2,000 messages a second (~18 MiB of log a second) that is
    /// every ~7 s. Each time the writer is held, however few frames are left to copy, by the sync of the database
    /// file, which SQLite does only in a checkpoint that reaches the end of the log. Must be below
    /// <see cref="WalAutoCheckpointPages"/>.
    /// </summary>
    public int WalResetPages { get; set; } = 32_768;

    /// <summary>
    /// Page cache of the session log's single writer connection, in MiB. Default 64: the index pages where every
    /// open session appends stay in memory instead of being read back from the file on each commit.
    /// </summary>
    public int EventWriterCacheMegabytes { get; set; } = 64;
}

/// <summary>The resolved storage settings used by every store.</summary>
public sealed record StorageSettings(
    StorageProvider Provider,
    string DataDirectory,
    string ConnectionString,
    string Synchronous,
    int WalAutoCheckpointPages,
    int WalResetPages,
    int EventWriterCacheMegabytes,
    TimeSpan CheckpointInterval)
{
    /// <summary>The database file under the data directory; null when a connection string of its own is configured.</summary>
    public string? DatabaseFile { get; init; }

    public static StorageSettings Resolve(StorageOptions options, string contentRoot)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory, contentRoot);
        if (options.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is Postgres.");
        }

        var connectionString = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? $"Data Source={Path.Combine(dataDirectory, "hikiconsult.db")};Pooling=True"
            : options.ConnectionString;
        var synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "NORMAL" or "FULL" or "EXTRA" => options.Synchronous.ToUpperInvariant(),
            _ => throw new InvalidOperationException("Storage:Synchronous must be NORMAL, FULL or EXTRA."),
        };
        if (options.WalAutoCheckpointPages is < 100 or > 1_000_000 || options.EventWriterCacheMegabytes is < 2 or > 4096
            || options.CheckpointInterval < TimeSpan.FromMilliseconds(10) || options.CheckpointInterval > TimeSpan.FromMinutes(10)
            || options.WalResetPages < 10 || options.WalResetPages >= options.WalAutoCheckpointPages)
        {
            throw new InvalidOperationException(
                "Storage:WalAutoCheckpointPages must be 100..1,000,000, Storage:WalResetPages 10 or more and below it, " +
                "Storage:EventWriterCacheMegabytes 2..4,096 and Storage:CheckpointInterval 10 ms..10 min.");
        }

        return new StorageSettings(
            options.Provider,
            dataDirectory, connectionString, synchronous, options.WalAutoCheckpointPages, options.WalResetPages, options.EventWriterCacheMegabytes, options.CheckpointInterval)
        {
            DatabaseFile = string.IsNullOrWhiteSpace(options.ConnectionString) ? Path.Combine(dataDirectory, "hikiconsult.db") : null,
        };
    }
}

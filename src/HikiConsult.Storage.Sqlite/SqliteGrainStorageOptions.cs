using System.Text.Json;

namespace HikiConsult.Storage.Sqlite;

/// <summary>Options of <see cref="SqliteGrainStorage"/>.</summary>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>JSON settings shared by the built-in providers: web defaults (camelCase).</summary>
    public static readonly JsonSerializerOptions DefaultJsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>A Microsoft.Data.Sqlite connection string, e.g. "Data Source=data/hikiconsult.db". Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Table that holds the states. Default "grain_state".</summary>
    public string TableName { get; set; } = "grain_state";

    /// <summary>
    /// SQLite's synchronous setting in WAL mode. Default "NORMAL": a committed write survives a process crash
    /// (kill -9); use "FULL" to survive power loss too, at the cost of an fsync per write.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";

    /// <summary>
    /// SQLite's wal_autocheckpoint for this provider's connections, in pages. Default 1,000 (SQLite's default). A
    /// host that shares the file with other writers should use the same value as they do: any committing
    /// connection past its own threshold runs the checkpoint.
    /// </summary>
    public int WalAutoCheckpointPages { get; set; } = 1000;

    /// <summary>
    /// The process's one writer of this database file, when the host shares the file with other writers. Default
    /// none: writes then use a connection of their own and wait for SQLite's write lock like any other writer.
    /// </summary>
    public SqliteWriteQueue? WriteQueue { get; set; }

    /// <summary>How state is serialized. Default <see cref="DefaultJsonOptions"/>.</summary>
    public JsonSerializerOptions JsonOptions { get; set; } = DefaultJsonOptions;
}

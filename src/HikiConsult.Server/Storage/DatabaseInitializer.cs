using Dapper;
using HikiConsult.Grains.Protection;

namespace HikiConsult.Server.Storage;

/// <summary>Creates the data directory (0700), the database file (0600) and the schema before anything else starts (idempotent).</summary>
internal sealed partial class DatabaseInitializer(StorageSettings settings, SqliteDatabase database, DatabaseStatus status, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PrivateFiles.EnsureDirectory(settings.DataDirectory);
        var file = settings.DatabaseFile;
        if (file is not null && !File.Exists(file))
        {
            // Made 0600 before SQLite opens it: SQLite gives the WAL and SHM files the database file's mode.
            PrivateFiles.TryCreate(file, []);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var existed = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'") > 0;
        await connection.ExecuteAsync(Schema.Create);
        if (file is not null)
        {
            // An install from before kept them 0644.
            foreach (var path in new[] { file, $"{file}-wal", $"{file}-shm" })
            {
                PrivateFiles.Restrict(path);
            }
        }

        status.MarkReady(isNew: !existed);
        SchemaReady(logger, settings.DataDirectory, !existed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Database ready in {DataDirectory} (new: {IsNew})")]
    private static partial void SchemaReady(ILogger logger, string dataDirectory, bool isNew);
}

/// <summary>What the initializer found: whether the schema is there and whether the database was new this start.</summary>
public sealed class DatabaseStatus
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    /// <summary>True when this start created the schema (seeding decides on it).</summary>
    public bool IsNew { get; private set; }

    internal void MarkReady(bool isNew)
    {
        IsNew = isNew;
        _ready = true;
    }
}

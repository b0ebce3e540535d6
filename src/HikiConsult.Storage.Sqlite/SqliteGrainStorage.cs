using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HikiConsult.Storage.Sqlite;

/// <summary>
/// Orleans grain storage in a SQLite database file (WAL). One row per grain type, key and state name; the state is
/// JSON written by System.Text.Json with the state type's own property names and no .NET type names, so a renamed
/// class still reads its rows. The etag is a version number that every write and clear must match; a mismatch
/// throws <see cref="InconsistentStateException"/>, which makes Orleans deactivate the activation.
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How long a write waits for another connection's write lock before failing.</summary>
    private const int BusyTimeoutMilliseconds = 5000;

    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly ILogger _logger;
    private readonly string _table;
    private readonly Lazy<Task> _initialized;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, ILogger<SqliteGrainStorage> logger)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException($"Grain storage \"{name}\" has no ConnectionString.");
        }

        SqliteIdentifier.Check(options.TableName, $"grain storage \"{name}\" table");

        _name = name;
        _options = options;
        _logger = logger;
        _table = options.TableName;
        _initialized = new Lazy<Task>(InitializeAsync);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"SqliteGrainStorage:{_name}", ServiceLifecycleStage.RuntimeStorageServices, _ => _initialized.Value, _ =>
        {
            SqliteConnection.ClearAllPools();
            return Task.CompletedTask;
        });

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT payload, version FROM {_table} WHERE grain_type = $type AND grain_key = $key AND state_name = $state";
        AddKey(command, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = JsonSerializer.Deserialize<T>(reader.GetString(0), _options.JsonOptions)!;
            grainState.ETag = reader.GetInt64(1).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            // As Orleans' own providers do: a grain without a stored record starts from a new state.
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // UTF-8 as SQLite stores it: no UTF-16 string, no second copy when it is bound.
        var payload = JsonSerializer.SerializeToUtf8Bytes(grainState.State, _options.JsonOptions);
        var etag = grainState.ETag;
        var version = await WriteAsync(batch => Write(batch, stateName, grainId, etag, payload));

        // Only after the commit: a failed write leaves the grain's etag as it was.
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = grainState.ETag;
        await WriteAsync(batch =>
        {
            Clear(batch.Connection, stateName, grainId, etag);
            return true;
        });
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Through the shared writer when the host has one; otherwise on a connection of its own.</summary>
    private async Task<TResult> WriteAsync<TResult>(Func<SqliteWriteBatch, TResult> write)
    {
        await _initialized.Value;
        if (_options.WriteQueue is { } queue)
        {
            return await queue.WriteAsync(write);
        }

        using var batch = new SqliteWriteBatch(await OpenAsync());
        return write(batch);
    }

    private long Write(SqliteWriteBatch batch, string stateName, GrainId grainId, string? etag, byte[] payload)
    {
        // ?1 type, ?2 key, ?3 state, ?4 payload, ?5 time of the write, ?6 the version the writer holds.
        var statement = etag is null
            ? batch.Statement(
                $"INSERT INTO {_table} (grain_type, grain_key, state_name, payload, version, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5) " +
                "ON CONFLICT DO NOTHING RETURNING version")
            : batch.Statement(
                $"UPDATE {_table} SET payload = ?4, version = version + 1, updated_at = ?5 " +
                "WHERE grain_type = ?1 AND grain_key = ?2 AND state_name = ?3 AND version = ?6 RETURNING version")
                .Bind(6, ParseEtag(etag));
        Span<char> now = stackalloc char[40];
        DateTimeOffset.UtcNow.TryFormat(now, out var nowLength, "O", CultureInfo.InvariantCulture);
        var version = statement
            .Bind(1, grainId.Type.ToString()!)
            .Bind(2, grainId.Key.ToString()!)
            .Bind(3, stateName)
            .BindUtf8(4, payload)
            .BindText(5, now[..nowLength])
            .ExecuteScalarInt64();
        return version ?? throw Conflict(batch.Connection, stateName, grainId, etag);
    }

    private void Clear(SqliteConnection connection, string stateName, GrainId grainId, string? etag)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {_table} WHERE grain_type = $type AND grain_key = $key AND state_name = $state AND version = $etag";
        AddKey(command, stateName, grainId);
        command.Parameters.AddWithValue("$etag", etag is null ? DBNull.Value : ParseEtag(etag));
        if (command.ExecuteNonQuery() == 0)
        {
            var conflict = Conflict(connection, stateName, grainId, etag);
            if (conflict.StoredEtag is not null)
            {
                throw conflict;
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        await _initialized.Value;
        var connection = new SqliteConnection(_options.ConnectionString);
        await connection.OpenAsync();

        // Both settings belong to the connection, not the file: set them on every (possibly pooled) connection.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = {SynchronousLevel()}; PRAGMA wal_autocheckpoint = {_options.WalAutoCheckpointPages};";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task InitializeAsync()
    {
        await using var connection = new SqliteConnection(_options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {SynchronousLevel()};" +
            $"CREATE TABLE IF NOT EXISTS {_table} (" +
            "grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, state_name TEXT NOT NULL, " +
            "payload TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL, " +
            "PRIMARY KEY (grain_type, grain_key, state_name))";
        await command.ExecuteNonQueryAsync();
        StorageReady(_logger, _name, _table);
    }

    private string SynchronousLevel() => _options.Synchronous.ToUpperInvariant() switch
    {
        "OFF" or "NORMAL" or "FULL" or "EXTRA" => _options.Synchronous.ToUpperInvariant(),
        _ => throw new InvalidOperationException($"Grain storage \"{_name}\": Synchronous must be OFF, NORMAL, FULL or EXTRA."),
    };

    private InconsistentStateException Conflict(SqliteConnection connection, string stateName, GrainId grainId, string? etag)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version FROM {_table} WHERE grain_type = $type AND grain_key = $key AND state_name = $state";
        AddKey(command, stateName, grainId);
        var stored = command.ExecuteScalar();
        var storedEtag = stored is null ? null : Convert.ToInt64(stored, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return new InconsistentStateException($"State \"{stateName}\" of {grainId} was changed by another writer (stored version {storedEtag ?? "none"}, held {etag ?? "none"}).", storedEtag, etag);
    }

    private static void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$type", grainId.Type.ToString());
        command.Parameters.AddWithValue("$key", grainId.Key.ToString());
        command.Parameters.AddWithValue("$state", stateName);
    }

    private static long ParseEtag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InconsistentStateException($"Etag \"{etag}\" was not written by this storage.", null, etag);

    [LoggerMessage(1, LogLevel.Information, "Grain storage {Name} ready (SQLite table {Table})")]
    private static partial void StorageReady(ILogger logger, string name, string table);
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace HikiConsult.Storage.Sqlite;

/// <summary>
/// Orleans' reminder table in the embedded SQLite file: what makes a reminder outlive the process (alert escalation,
/// the daily refresh). One row per (grain, reminder); the grain's uniform hash is stored so that a silo reads only the
/// range of the ring it owns, and the etag is a version number that an upsert replaces and a removal must match.
/// Writes go through the process's one writer when there is one, like grain state.
/// </summary>
public sealed partial class SqliteReminderTable(SqliteReminderTableOptions options, ILogger<SqliteReminderTable> logger) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period_ms, version";

    private readonly Lazy<Task> _initialized = new(() => InitializeAsync(options, logger));

    public Task StartAsync(CancellationToken cancellationToken = default) => _initialized.Value;

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM {options.TableName} WHERE grain_id = $grain";
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        return new ReminderTableData(await ReadEntriesAsync(command));
    }

    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        // The ring range (begin, end]; it wraps around when begin >= end.
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = begin < end
            ? $"SELECT {Columns} FROM {options.TableName} WHERE grain_hash > $begin AND grain_hash <= $end"
            : $"SELECT {Columns} FROM {options.TableName} WHERE grain_hash > $begin OR grain_hash <= $end";
        command.Parameters.AddWithValue("$begin", (long)begin);
        command.Parameters.AddWithValue("$end", (long)end);
        return new ReminderTableData(await ReadEntriesAsync(command));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM {options.TableName} WHERE grain_id = $grain AND reminder_name = $name";
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        command.Parameters.AddWithValue("$name", reminderName);
        return (await ReadEntriesAsync(command)).FirstOrDefault();
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var version = await WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"INSERT INTO {options.TableName} (grain_id, reminder_name, grain_hash, start_at, period_ms, version) " +
                "VALUES ($grain, $name, $hash, $start, $period, 1) " +
                "ON CONFLICT (grain_id, reminder_name) DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, " +
                "grain_hash = excluded.grain_hash, version = version + 1 RETURNING version";
            command.Parameters.AddWithValue("$grain", entry.GrainId.ToString());
            command.Parameters.AddWithValue("$name", entry.ReminderName);
            command.Parameters.AddWithValue("$hash", (long)entry.GrainId.GetUniformHashCode());
            command.Parameters.AddWithValue("$start", new DateTimeOffset(entry.StartAt.ToUniversalTime()).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$period", (long)entry.Period.TotalMilliseconds);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        return version.ToString(CultureInfo.InvariantCulture);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM {options.TableName} WHERE grain_id = $grain AND reminder_name = $name AND version = $version";
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
            command.Parameters.AddWithValue("$version", long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1);
            return command.ExecuteNonQuery() > 0;
        });

    public Task TestOnlyClearTable() =>
        WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM {options.TableName}";
            return command.ExecuteNonQuery();
        });

    private static async Task<List<ReminderEntry>> ReadEntriesAsync(SqliteCommand command)
    {
        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)).UtcDateTime,
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return entries;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write)
    {
        await _initialized.Value;
        if (options.WriteQueue is { } queue)
        {
            return await queue.WriteAsync(static (batch, write) => write(batch.Connection), write);
        }

        await using var connection = await OpenAsync();
        return write(connection);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        await _initialized.Value;
        var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task InitializeAsync(SqliteReminderTableOptions options, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException("The SQLite reminder table has no ConnectionString.");
        }

        SqliteIdentifier.Check(options.TableName, "reminder table");
        await using var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;" +
            $"CREATE TABLE IF NOT EXISTS {options.TableName} (" +
            "grain_id TEXT NOT NULL, reminder_name TEXT NOT NULL, grain_hash INTEGER NOT NULL, " +
            "start_at INTEGER NOT NULL, period_ms INTEGER NOT NULL, version INTEGER NOT NULL, " +
            "PRIMARY KEY (grain_id, reminder_name));" +
            $"CREATE INDEX IF NOT EXISTS {options.TableName}_hash ON {options.TableName} (grain_hash);";
        await command.ExecuteNonQueryAsync();
        TableReady(logger, options.TableName);
    }

    [LoggerMessage(1, LogLevel.Information, "Reminder table ready (SQLite table {Table})")]
    private static partial void TableReady(ILogger logger, string table);
}

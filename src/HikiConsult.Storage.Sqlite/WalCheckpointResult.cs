namespace HikiConsult.Storage.Sqlite;

/// <summary>
/// What <c>PRAGMA wal_checkpoint</c> reports: whether it could not finish (a lock was held), the frames in the
/// write-ahead log, and how many of them are now copied into the database file. All copied means the next write
/// transaction starts the log over from its beginning.
/// </summary>
public sealed record WalCheckpointResult(bool Busy, long LogFrames, long CheckpointedFrames)
{
    public bool CopiedAll => !Busy && CheckpointedFrames >= LogFrames;

    /// <summary>Runs <c>PRAGMA wal_checkpoint(<paramref name="mode"/>)</c> on an open connection with no transaction.</summary>
    public static WalCheckpointResult Run(Microsoft.Data.Sqlite.SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = mode switch
        {
            "PASSIVE" or "FULL" or "RESTART" or "TRUNCATE" => $"PRAGMA wal_checkpoint({mode});",
            _ => throw new ArgumentException($"Unknown checkpoint mode '{mode}'.", nameof(mode)),
        };
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new WalCheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2))
            : throw new InvalidOperationException("wal_checkpoint returned no row.");
    }

    /// <summary>
    /// Runs <c>PRAGMA wal_checkpoint(RESTART)</c> (or TRUNCATE) with the connection's busy timeout set to
    /// <paramref name="wait"/> for it (how long it waits for the log's readers), then restores the timeout the connection had.
    /// </summary>
    public static WalCheckpointResult RunWaitingForReaders(Microsoft.Data.Sqlite.SqliteConnection connection, TimeSpan wait, string mode = "RESTART")
    {
        using var timeout = connection.CreateCommand();
        timeout.CommandText = "PRAGMA busy_timeout;";
        var previous = Convert.ToInt64(timeout.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        timeout.CommandText = $"PRAGMA busy_timeout = {(long)wait.TotalMilliseconds};";
        timeout.ExecuteNonQuery();
        try
        {
            return Run(connection, mode);
        }
        finally
        {
            timeout.CommandText = $"PRAGMA busy_timeout = {previous};";
            timeout.ExecuteNonQuery();
        }
    }
}

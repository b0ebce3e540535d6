namespace HikiConsult.Storage.Sqlite;

/// <summary>Options of <see cref="SqliteReminderTable"/>.</summary>
public sealed class SqliteReminderTableOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string, e.g. "Data Source=data/hikiconsult.db". Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Table that holds the reminders. Default "reminders".</summary>
    public string TableName { get; set; } = "reminders";

    /// <summary>The process's one writer of the file, when it shares the file with other writers. Default none.</summary>
    public SqliteWriteQueue? WriteQueue { get; set; }
}

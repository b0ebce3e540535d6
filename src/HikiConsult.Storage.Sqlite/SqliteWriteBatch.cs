using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HikiConsult.Storage.Sqlite;

/// <summary>
/// What a write queued on <see cref="SqliteWriteQueue"/> sees: the writer's connection, inside the batch's open
/// transaction, and statements prepared once for the life of the connection (a busy log inserts the same statement
/// thousands of times a second; preparing it once saves the parse each time). Hot writes use
/// <see cref="Statement"/>, which allocates nothing per execution; <see cref="Command"/> and the connection serve
/// the rest. The transaction is SQLite's own (BEGIN IMMEDIATE … COMMIT through prepared statements), not an ADO.NET
/// <see cref="SqliteTransaction"/>: that one allocates commands, readers and a rollback hook for every batch, and the
/// hook stays referenced until the next batch, long enough to be promoted. ADO.NET commands therefore run with no
/// transaction object, and join the open one as any statement on the connection does.
/// </summary>
public sealed class SqliteWriteBatch : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    internal SqliteWriteBatch(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>
    /// The command for <paramref name="key"/>, created and prepared by <paramref name="create"/> on first use. Set its
    /// parameters' values before each execution.
    /// </summary>
    public SqliteCommand Command(string key, Func<SqliteConnection, SqliteCommand> create)
    {
        if (!_commands.TryGetValue(key, out var command))
        {
            command = create(Connection);
            command.Prepare();
            _commands[key] = command;
        }

        return command;
    }

    /// <summary>
    /// The statement for <paramref name="sql"/>, prepared on first use. It runs inside the current transaction like
    /// everything else on this connection; bind every parameter before each execution.
    /// </summary>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(Connection.Handle!, sql);
            _statements[sql] = statement;
        }

        return statement;
    }

    internal void Begin() => Statement("BEGIN IMMEDIATE").Execute();

    internal void Commit() => Statement("COMMIT").Execute();

    internal void Savepoint() => Statement("SAVEPOINT queued_write").Execute();

    internal void Release() => Statement("RELEASE queued_write").Execute();

    internal void RollbackToSavepoint()
    {
        Statement("ROLLBACK TO queued_write").Execute();
        Release();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        // A batch that failed may have left its transaction open (a COMMIT refused by a deferred constraint does);
        // a pooled connection would carry it on. If even the rollback fails, the pool must not hand it out again.
        if (Connection.Handle is { } db && raw.sqlite3_get_autocommit(db) == 0)
        {
            try
            {
                Statement("ROLLBACK").Execute();
            }
            catch (SqliteException)
            {
                SqliteConnection.ClearPool(Connection);
            }
        }

        // Statements before the connection: SQLite closes a connection only once its statements are finalized.
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        Connection.Dispose();
    }
}

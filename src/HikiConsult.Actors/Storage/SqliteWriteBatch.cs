using Microsoft.Data.Sqlite;

namespace HikiConsult.Actors.Storage;

/// <summary>
/// What a write queued on <see cref="SqliteWriteQueue"/> sees: the writer's connection, its open transaction and
/// prepared commands kept for the life of the connection (a busy log inserts the same statement thousands of
/// times a second; preparing it once saves the parse each time).
/// </summary>
public sealed class SqliteWriteBatch : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteCommand? _savepoint;
    private SqliteCommand? _release;
    private SqliteCommand? _rollbackTo;

    internal SqliteWriteBatch(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>The transaction of the current batch.</summary>
    public SqliteTransaction Transaction { get; private set; } = null!;

    /// <summary>
    /// The command for <paramref name="key"/>, created and prepared by <paramref name="create"/> on first use, bound to
    /// the current transaction. Set its parameters' values before each execution.
    /// </summary>
    public SqliteCommand Command(string key, Func<SqliteConnection, SqliteCommand> create)
    {
        if (!_commands.TryGetValue(key, out var command))
        {
            command = create(Connection);
            command.Prepare();
            _commands[key] = command;
        }

        command.Transaction = Transaction;
        return command;
    }

    internal void Begin() => Transaction = Connection.BeginTransaction(deferred: false);

    internal void Commit()
    {
        Transaction.Commit();
        Transaction.Dispose();
    }

    internal void Savepoint() => Run(ref _savepoint, "SAVEPOINT queued_write");

    internal void Release() => Run(ref _release, "RELEASE queued_write");

    internal void RollbackToSavepoint()
    {
        Run(ref _rollbackTo, "ROLLBACK TO queued_write");
        Release();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _savepoint?.Dispose();
        _release?.Dispose();
        _rollbackTo?.Dispose();
        Transaction?.Dispose();
        Connection.Dispose();
    }

    private void Run(ref SqliteCommand? command, string sql)
    {
        if (command is null)
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
        }

        command.Transaction = Transaction;
        command.ExecuteNonQuery();
    }
}

using Microsoft.Data.Sqlite;

namespace HikiConsult.Actors.Storage;

/// <summary>
/// What a write queued on <see cref="SqliteWriteQueue"/> sees: the writer's connection, its open transaction and
/// statements prepared once for the life of the connection (a busy log inserts the same statement thousands of
/// times a second; preparing it once saves the parse each time). Hot writes use <see cref="Statement"/>, which
/// allocates nothing per execution; <see cref="Command"/> and the connection serve the rest.
/// </summary>
public sealed class SqliteWriteBatch : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);
    private readonly SqliteStatement _savepoint;
    private readonly SqliteStatement _release;
    private readonly SqliteStatement _rollbackTo;

    internal SqliteWriteBatch(SqliteConnection connection)
    {
        Connection = connection;
        _savepoint = Statement("SAVEPOINT queued_write");
        _release = Statement("RELEASE queued_write");
        _rollbackTo = Statement("ROLLBACK TO queued_write");
    }

    public SqliteConnection Connection { get; }

    /// <summary>The transaction of the current batch (none on a storage's own connection, outside the queue).</summary>
    public SqliteTransaction? Transaction { get; private set; }

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

    internal void Begin() => Transaction = Connection.BeginTransaction(deferred: false);

    internal void Commit()
    {
        Transaction!.Commit();
        Transaction.Dispose();
        Transaction = null;
    }

    internal void Savepoint() => _savepoint.Execute();

    internal void Release() => _release.Execute();

    internal void RollbackToSavepoint()
    {
        _rollbackTo.Execute();
        _release.Execute();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        // Statements before the connection: SQLite closes a connection only once its statements are finalized.
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        Transaction?.Dispose();
        Connection.Dispose();
    }
}

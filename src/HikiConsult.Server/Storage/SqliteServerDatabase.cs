using System.Data.Common;
using Dapper;
using HikiConsult.Storage.Sqlite;

namespace HikiConsult.Server.Storage;

/// <summary>The server's tables in the embedded SQLite file: reads on pooled connections, writes through the process's one writer.</summary>
public sealed class SqliteServerDatabase(SqliteDatabase database, SqliteWriteQueue writer) : IDatabase
{
    public StorageProvider Provider => StorageProvider.Sqlite;

    public string InsertionOrderColumn => "rowid";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => await database.OpenAsync(cancellationToken);

    public Task<int> ExecuteWriteAsync(string sql, object parameters, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(batch => batch.Connection.Execute(sql, parameters));

    public Task<IAsyncDisposable> LockAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

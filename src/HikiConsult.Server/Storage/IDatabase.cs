using System.Data.Common;

namespace HikiConsult.Server.Storage;

/// <summary>
/// The server's own tables on the configured provider (<see cref="StorageProvider"/>). Stores write portable SQL
/// (named parameters, ON CONFLICT, RETURNING) and open connections here; writes that the embedded default batches
/// through its one writer go through <see cref="ExecuteWriteAsync"/>.
/// </summary>
public interface IDatabase
{
    StorageProvider Provider { get; }

    /// <summary>The column that orders the rows of an append-only table by insertion (SQLite's rowid, PostgreSQL's identity column).</summary>
    string InsertionOrderColumn { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs one statement (Dapper parameters; a list runs it once per item) as a write; the rows it changed.</summary>
    Task<int> ExecuteWriteAsync(string sql, object parameters, CancellationToken cancellationToken = default);

    /// <summary>
    /// Holds a lock of this name across every process on the database until disposed: a step that must run on one
    /// node at a time (filling an empty database). One process on SQLite, so nothing to hold there.
    /// </summary>
    Task<IAsyncDisposable> LockAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>Where the data lives: <c>Storage:Provider</c>.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file under the data directory: the embedded default, one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every node of a cluster.</summary>
    Postgres,
}

using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HikiConsult.Storage.Sqlite;

/// <summary>
/// A statement prepared once on the writer's connection and run through SQLite's own interface. An ADO.NET
/// execution allocates a reader, a statement enumerator, a binder per parameter and a UTF-8 copy of every text
/// value (about 1.8 KB for a session event): at thousands of writes a second that garbage sets how often the
/// server pauses to collect it. Here values are bound from spans (text as UTF-16 or UTF-8, copied by SQLite) and
/// nothing is allocated per execution. Parameters are numbered from 1 in the order they appear (<c>?1</c>,
/// <c>?2</c> …). Errors surface as <see cref="SqliteException"/> with SQLite's extended code, as with ADO.NET.
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    private const int SqliteRow = 100;
    private const int SqliteDone = 101;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    internal SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v2(db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    public SqliteStatement Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public SqliteStatement Bind(int index, string? value) =>
        value is null ? BindNull(index) : Check(raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    public SqliteStatement BindText(int index, ReadOnlySpan<char> value) => Check(raw.sqlite3_bind_text16(_statement, index, value));

    /// <summary>Binds text already encoded as UTF-8 (JSON as it was written, for one).</summary>
    public SqliteStatement BindUtf8(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_text(_statement, index, value));

    public SqliteStatement BindNull(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs the statement to its end; returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == SqliteRow)
            {
            }

            ThrowIfFailed(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs the statement and returns the first column of its first row as an integer; null without a row.</summary>
    public long? ExecuteScalarInt64()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == SqliteRow)
            {
                var value = raw.sqlite3_column_int64(_statement, 0);
                while ((rc = raw.sqlite3_step(_statement)) == SqliteRow)
                {
                }

                ThrowIfFailed(rc);
                return value;
            }

            ThrowIfFailed(rc);
            return null;
        }
        finally
        {
            Reset();
        }
    }

    public void Dispose() => _statement.Dispose();

    private void ThrowIfFailed(int rc)
    {
        if (rc != SqliteDone)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private SqliteStatement Check(int rc)
    {
        SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }

    /// <summary>Ready for the next execution, with no value left bound from this one.</summary>
    private void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }
}

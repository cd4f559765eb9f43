using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// A read statement prepared once on a reader connection and run many times, through the SQLite C API:
/// values are bound by index (found once) and columns read straight from the statement. For a keyed
/// lookup, Microsoft.Data.Sqlite's per-execution objects (data reader, record, parameter binders, a
/// stopwatch, a UTF-8 copy of each text value) cost about half a kilobyte and a good share of the
/// managed time. Used by one read at a time; <see cref="Reset"/> ends each run and its read transaction.
/// </summary>
internal sealed class ReadStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>Prepares <paramref name="sql"/> on <paramref name="connection"/>.</summary>
    public ReadStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        // A locked database is waited for by SQLite's busy timeout (set at open), as
        // for the write path's raw statements: there is no Microsoft.Data.Sqlite retry loop here.
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>The current row's columns, valid until the next <see cref="Step"/> or <see cref="Reset"/>.</summary>
    public StatementColumns Row => new(_statement);

    /// <summary>The index of parameter <paramref name="name"/> (with its <c>$</c>), or 0 when the statement has none.</summary>
    public int IndexOf(string name) => raw.sqlite3_bind_parameter_index(_statement, name);

    /// <summary>Binds <paramref name="value"/> (long, double, string, byte[] or null) at <paramref name="index"/>.</summary>
    public void Bind(int index, object? value)
    {
        if (value is string text) Bind(index, text);
        else Check(PreparedSql.BindValue(_statement, index, value));
    }

    /// <summary>
    /// Binds text at <paramref name="index"/> as UTF-8 with its length (U+0000 inside it is kept), encoded
    /// by .NET as Microsoft.Data.Sqlite and the stored keys are: an unpaired surrogate becomes U+FFFD, where
    /// SQLite's own UTF-16 conversion would keep other bytes and match nothing.
    /// </summary>
    public void Bind(int index, string value)
    {
        if (value.Length == 0)
        {
            // An empty span reaches SQLite as a null pointer, which would bind NULL.
            Check(raw.sqlite3_bind_text(_statement, index, ""));
            return;
        }
        int most = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = most > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(most) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        try
        {
            int length = System.Text.Encoding.UTF8.GetBytes(value, buffer);
            Check(raw.sqlite3_bind_text(_statement, index, buffer[..length]));
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Binds an integer at <paramref name="index"/>.</summary>
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds bytes at <paramref name="index"/> (SQLite copies them).</summary>
    public void Bind(int index, ReadOnlySpan<byte> value) =>
        // An empty span reaches SQLite as a null pointer, which would bind NULL.
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Moves to the next row; false at the end. A failure resets the statement and throws <see cref="SqliteException"/>.</summary>
    public bool Step()
    {
        int rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        raw.sqlite3_reset(_statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    /// <summary>Ends the run (and its read transaction); the bound values stay for the next run.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>How many times SQLite compiled the statement again since it was prepared (SQLITE_STMTSTATUS_REPREPARE).</summary>
    public int Recompilations => raw.sqlite3_stmt_status(_statement, StatusReprepare, 0);

    private const int StatusReprepare = 5; // SQLITE_STMTSTATUS_REPREPARE: SQLitePCLRaw names the other counters only

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();
}

/// <summary>The current row of a <see cref="ReadStatement"/>.</summary>
internal readonly struct StatementColumns(sqlite3_stmt statement) : IStoredColumns
{
    public bool IsNull(int ordinal) => raw.sqlite3_column_type(statement, ordinal) == raw.SQLITE_NULL;

    public bool IsText(int ordinal) => raw.sqlite3_column_type(statement, ordinal) == raw.SQLITE_TEXT;

    public bool IsBlob(int ordinal) => raw.sqlite3_column_type(statement, ordinal) == raw.SQLITE_BLOB;

    public long GetInt64(int ordinal) => raw.sqlite3_column_int64(statement, ordinal);

    public double GetDouble(int ordinal) => raw.sqlite3_column_double(statement, ordinal);

    // The text's bytes with their length (U+0000 inside them is kept), decoded as Microsoft.Data.Sqlite does.
    public string GetString(int ordinal) => System.Text.Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, ordinal));

    public byte[] GetBytes(int ordinal) => GetSpan(ordinal).ToArray();

    public ReadOnlySpan<byte> GetSpan(int ordinal) => raw.sqlite3_column_blob(statement, ordinal);
}

using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// A statement prepared once on a connection and run many times with new values, through the
/// SQLite C API directly: the write path runs several of these per event, and ADO.NET's parameter
/// objects cost more than SQLite's own work there. Values are long, double, string, byte[] or null.
/// They are passed as a span (the compiler builds it on the stack) and strings are bound as UTF-16,
/// which SQLite converts itself: the ingestor binds millions of values, and an array per statement
/// plus a UTF-8 copy per string were a large share of what it allocated. Text is bound with its
/// length, so U+0000 inside it is kept.
/// Not thread-safe: each statement belongs to one connection used by one thread at a time.
/// </summary>
internal sealed class PreparedSql : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle; // _statement's pointer, for the calls made per value and per row (see SqliteNative)
    private readonly int[] _indexes;

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are <c>$name</c> for each of <paramref name="parameterNames"/>, in bind order.</summary>
    public PreparedSql(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        // Microsoft.Data.Sqlite retries a busy database in its own command loop, which these raw
        // statements bypass: SQLite's busy timeout (set when the connection was opened) waits
        // instead, or a momentary lock would stop the store.
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _handle = _statement.DangerousGetHandle();
        _indexes = new int[parameterNames.Length];
        for (int i = 0; i < parameterNames.Length; i++)
        {
            _indexes[i] = raw.sqlite3_bind_parameter_index(_statement, "$" + parameterNames[i]);
            if (_indexes[i] == 0) throw new ArgumentException($"The statement has no parameter ${parameterNames[i]}.", nameof(parameterNames));
        }
    }

    /// <summary>Runs the statement; returns the number of rows changed.</summary>
    public int Execute(params ReadOnlySpan<object?> values)
    {
        Bind(values);
        return ExecuteBound();
    }

    /// <summary>Binds a value at <paramref name="slot"/> (its position among the parameter names), unboxed, for <see cref="ExecuteBound"/>.</summary>
    public void Bind(int slot, long value) => Check(SqliteNative.BindInt64(_handle, _indexes[slot], value));

    /// <inheritdoc cref="Bind(int, long)"/>
    public void Bind(int slot, double value) => Check(SqliteNative.BindDouble(_handle, _indexes[slot], value));

    /// <inheritdoc cref="Bind(int, long)"/>
    public void Bind(int slot, string value) => Check(BindText(_handle, _indexes[slot], value));

    /// <summary>Binds a blob at <paramref name="slot"/>, for <see cref="ExecuteBound"/>.</summary>
    public void Bind(int slot, ReadOnlySpan<byte> value) => Check(SqliteNative.BindBlob(_handle, _indexes[slot], value));

    /// <summary>Binds a value of any kind <see cref="BindValue"/> takes at <paramref name="slot"/>, for <see cref="ExecuteBound"/>.</summary>
    public void Bind(int slot, object? value) => Check(BindRaw(_handle, _indexes[slot], value));

    /// <summary>Runs the statement with the values bound by slot; returns the number of rows changed.</summary>
    public int ExecuteBound()
    {
        try
        {
            int rc;
            while ((rc = SqliteNative.Step(_handle)) == raw.SQLITE_ROW) { }
            Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            SqliteNative.Reset(_handle);
        }
    }

    /// <summary>Runs the statement; returns the first column of the first row, or null when there is no row or it is NULL.</summary>
    public object? Scalar(params ReadOnlySpan<object?> values) => Row(values) is { Length: > 0 } row ? row[0] : null;

    /// <summary>Runs the statement; returns the first row's columns, or null when there is no row.</summary>
    public object?[]? Row(params ReadOnlySpan<object?> values)
    {
        Bind(values);
        try
        {
            int rc = SqliteNative.Step(_handle);
            if (rc == raw.SQLITE_DONE) return null;
            if (rc != raw.SQLITE_ROW) Check(rc);
            return CurrentRow();
        }
        finally
        {
            SqliteNative.Reset(_handle);
        }
    }

    /// <summary>Runs the statement and calls <paramref name="onRow"/> at each row, which it reads through <see cref="Value"/> and <see cref="Int64"/> (no array per row).</summary>
    public void ForEachRow(object?[] values, Action<PreparedSql> onRow)
    {
        Bind(values);
        try
        {
            int rc;
            while ((rc = SqliteNative.Step(_handle)) == raw.SQLITE_ROW) onRow(this);
            Check(rc);
        }
        finally
        {
            SqliteNative.Reset(_handle);
        }
    }

    /// <summary>Column <paramref name="i"/> of the current row as a 64-bit integer.</summary>
    public long Int64(int i) => SqliteNative.ColumnInt64(_handle, i);

    /// <summary>Column <paramref name="i"/> of the current row (long, double, string, byte[] or null).</summary>
    public object? Value(int i) => Column(i);

    private object?[] CurrentRow()
    {
        var row = new object?[raw.sqlite3_column_count(_statement)];
        for (int i = 0; i < row.Length; i++) row[i] = Column(i);
        return row;
    }

    private object? Column(int i) => SqliteNative.ColumnType(_handle, i) switch
    {
        raw.SQLITE_INTEGER => SqliteNative.ColumnInt64(_handle, i),
        raw.SQLITE_FLOAT => SqliteNative.ColumnDouble(_handle, i),
        raw.SQLITE_TEXT => raw.sqlite3_column_text(_statement, i).utf8_to_string(),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(_statement, i).ToArray(),
        _ => null,
    };

    private void Bind(ReadOnlySpan<object?> values)
    {
        if (values.Length != _indexes.Length)
            throw new ArgumentException($"The statement takes {_indexes.Length} values, not {values.Length}.", nameof(values));
        for (int i = 0; i < values.Length; i++) Check(BindRaw(_handle, _indexes[i], values[i]));
    }

    /// <summary>Binds one value (long, int, double, string, byte[], bool or null); returns SQLite's result code.</summary>
    public static int BindValue(sqlite3_stmt statement, int index, object? value) => BindRaw(statement.DangerousGetHandle(), index, value);

    // The statement's owner keeps it alive while it binds (see SqliteNative).
    private static int BindRaw(IntPtr statement, int index, object? value) => value switch
    {
        null or DBNull => SqliteNative.BindNull(statement, index),
        long l => SqliteNative.BindInt64(statement, index, l),
        int n => SqliteNative.BindInt64(statement, index, n),
        double d => SqliteNative.BindDouble(statement, index, d),
        string s => BindText(statement, index, s),
        byte[] b => SqliteNative.BindBlob(statement, index, b),
        bool b => SqliteNative.BindInt64(statement, index, b ? 1 : 0),
        var other => throw new ArgumentException($"A {other.GetType().Name} cannot be bound.", nameof(value)),
    };

    // SQLite reads a leading U+FEFF or U+FFFE of UTF-16 text as a byte-order mark (it drops
    // the one and byte-swaps the text for the other): such text goes the UTF-8 way.
    private static int BindText(IntPtr statement, int index, string s) => s is [ '\uFEFF' or '\uFFFE', ..]
        ? SqliteNative.BindText(statement, index, Utf8(s))
        : SqliteNative.BindText16(statement, index, s);

    // Unpaired surrogates become U+FFFD, as in the hash (CanonicalEncoding) and in SQLite's UTF-16 path.
    private static ReadOnlySpan<byte> Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();
}

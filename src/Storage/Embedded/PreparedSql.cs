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
    private readonly int[] _indexes;

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are <c>$name</c> for each of <paramref name="parameterNames"/>, in bind order.</summary>
    public PreparedSql(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        // Microsoft.Data.Sqlite retries a busy database in its own command loop, which these raw
        // statements bypass: SQLite's busy handler (BusyWait, installed when the connection was
        // opened) waits instead, or a momentary lock would stop the store.
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
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
    public void Bind(int slot, long value) => Check(raw.sqlite3_bind_int64(_statement, _indexes[slot], value));

    /// <inheritdoc cref="Bind(int, long)"/>
    public void Bind(int slot, double value) => Check(raw.sqlite3_bind_double(_statement, _indexes[slot], value));

    /// <summary>Binds a value of any kind <see cref="BindValue"/> takes at <paramref name="slot"/>, for <see cref="ExecuteBound"/>.</summary>
    public void Bind(int slot, object? value) => Check(BindValue(_statement, _indexes[slot], value));

    /// <summary>Runs the statement with the values bound by slot; returns the number of rows changed.</summary>
    public int ExecuteBound()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) { }
            Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
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
            int rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_DONE) return null;
            if (rc != raw.SQLITE_ROW) Check(rc);
            return CurrentRow();
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement and calls <paramref name="onRow"/> with each row's columns.</summary>
    public void ForEachRow(object?[] values, Action<object?[]> onRow)
    {
        Bind(values);
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) onRow(CurrentRow());
            Check(rc);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private object?[] CurrentRow()
    {
        var row = new object?[raw.sqlite3_column_count(_statement)];
        for (int i = 0; i < row.Length; i++) row[i] = Column(i);
        return row;
    }

    private object? Column(int i) => raw.sqlite3_column_type(_statement, i) switch
    {
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_statement, i),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(_statement, i),
        raw.SQLITE_TEXT => raw.sqlite3_column_text(_statement, i).utf8_to_string(),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(_statement, i).ToArray(),
        _ => null,
    };

    private void Bind(ReadOnlySpan<object?> values)
    {
        if (values.Length != _indexes.Length)
            throw new ArgumentException($"The statement takes {_indexes.Length} values, not {values.Length}.", nameof(values));
        for (int i = 0; i < values.Length; i++) Check(BindValue(_statement, _indexes[i], values[i]));
    }

    /// <summary>Binds one value (long, int, double, string, byte[], bool or null); returns SQLite's result code.</summary>
    public static int BindValue(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(statement, index),
        long l => raw.sqlite3_bind_int64(statement, index, l),
        int n => raw.sqlite3_bind_int64(statement, index, n),
        double d => raw.sqlite3_bind_double(statement, index, d),
        // An empty span reaches SQLite as a null pointer, which binds NULL: "" goes the UTF-8 way.
        string { Length: 0 } => raw.sqlite3_bind_text(statement, index, ""),
        // SQLite reads a leading U+FEFF or U+FFFE of UTF-16 text as a byte-order mark (it drops
        // the one and byte-swaps the text for the other): such text goes the UTF-8 way.
        string s when s[0] is '\uFEFF' or '\uFFFE' => raw.sqlite3_bind_text(statement, index, Utf8(s)),
        string s => raw.sqlite3_bind_text16(statement, index, s.AsSpan()),
        byte[] b => raw.sqlite3_bind_blob(statement, index, b),
        bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
        var other => throw new ArgumentException($"A {other.GetType().Name} cannot be bound.", nameof(value)),
    };

    // Unpaired surrogates become U+FFFD, as in the hash (CanonicalEncoding) and in SQLite's UTF-16 path.
    private static ReadOnlySpan<byte> Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();
}

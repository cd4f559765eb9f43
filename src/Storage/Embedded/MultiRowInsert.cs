using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Inserts rows into one table <see cref="RowsPerStatement"/> at a time with one prepared multi-row
/// statement (the rest one by one at <see cref="Flush"/>): the ingestor inserts millions of ledger
/// rows, and a statement per row cost more in statement overhead than SQLite's own insert. The same
/// buffer serves any pair of statements whose parameters are the rows' values in row order (an upsert,
/// an INSERT … SELECT keyed by the rows).
/// Rows wait in the buffer until it is full or flushed, so the caller flushes before it commits and
/// discards when its transaction rolls back; a statement that fails empties the buffer. A subclass may hold
/// its rows in typed columns instead (it puts a row at <see cref="Buffered"/>, calls <see cref="RowAdded"/>, and binds
/// it in <see cref="BindRow"/>), so that numbers are not boxed.
/// </summary>
internal class MultiRowInsert : IDisposable
{
    /// <summary>Rows per multi-row statement.</summary>
    public const int RowsPerStatement = 64;

    private readonly int _columns;
    private readonly PreparedSql _one;
    private readonly PreparedSql _many;
    private object?[]? _values; // made by the first Add: a subclass that holds its rows itself never needs it
    private int _rows;

    /// <summary>Prepares the statements for <paramref name="table"/> and its <paramref name="columns"/>.</summary>
    public MultiRowInsert(SqliteConnection connection, string table, params string[] columns)
        : this(connection, table, columns, onConflict: "")
    {
    }

    /// <summary>
    /// Prepares the statements for <paramref name="table"/> and its <paramref name="columns"/>, each ending in
    /// <paramref name="onConflict"/> (an upsert's <c>ON CONFLICT … DO UPDATE</c>, or empty).
    /// </summary>
    public MultiRowInsert(SqliteConnection connection, string table, string[] columns, string onConflict)
        : this(connection, columns, Sql(table, columns, 1, onConflict), Sql(table, columns, RowsPerStatement, onConflict))
    {
    }

    /// <summary>
    /// Prepares <paramref name="oneSql"/> (one row) and <paramref name="manySql"/> (<see cref="RowsPerStatement"/> rows),
    /// any statements whose parameters are <see cref="ParameterNames"/> of <paramref name="columns"/> (an UPDATE … FROM a
    /// constant table, an INSERT … SELECT keyed by the rows).
    /// </summary>
    public MultiRowInsert(SqliteConnection connection, string[] columns, string oneSql, string manySql)
        : this(columns.Length,
            new PreparedSql(connection, oneSql, ParameterNames(columns, 1)),
            new PreparedSql(connection, manySql, ParameterNames(columns, RowsPerStatement)))
    {
    }

    /// <summary>
    /// Buffers rows of <paramref name="columns"/> values for statements of one row (<paramref name="one"/>) and of
    /// <see cref="RowsPerStatement"/> rows (<paramref name="many"/>), whose parameters are the values in row order.
    /// Takes ownership of both.
    /// </summary>
    public MultiRowInsert(int columns, PreparedSql one, PreparedSql many)
    {
        _columns = columns;
        _one = one;
        _many = many;
    }

    /// <summary>How many rows are buffered: the position the next row goes to.</summary>
    protected int Buffered => _rows;

    /// <summary>The parameter names of <paramref name="rows"/> rows of <paramref name="columns"/>: <c>{column}{row}</c>, in row order.</summary>
    public static string[] ParameterNames(IReadOnlyList<string> columns, int rows) =>
        [.. Enumerable.Range(0, rows).SelectMany(r => columns.Select(c => $"{c}{r}"))];

    /// <summary>
    /// The statement that inserts <paramref name="rows"/> rows of <paramref name="columns"/> into <paramref name="table"/>,
    /// with <see cref="ParameterNames"/>' parameters, then <paramref name="onConflict"/> (exposed so tests can check plans).
    /// </summary>
    // OR FAIL: a failure rolls back the whole transaction anyway, so SQLite need not keep a statement
    // journal (a temp file copy of every page a multi-row statement touches) to undo one statement;
    // with the default (ABORT) that copy was most of the ingestor's system calls.
    public static string Sql(string table, IReadOnlyList<string> columns, int rows, string onConflict = "")
    {
        string sql = $"INSERT OR FAIL INTO {table}({string.Join(", ", columns)}) VALUES {Values(columns, rows)}";
        return onConflict.Length == 0 ? sql : sql + " " + onConflict;
    }

    /// <summary>The rows of a <c>VALUES</c> list of <paramref name="rows"/> rows of <paramref name="columns"/>, with <see cref="ParameterNames"/>' parameters.</summary>
    public static string Values(IReadOnlyList<string> columns, int rows) =>
        string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", columns.Select(c => $"${c}{r}")) + ")"));

    /// <summary>Adds one row (a value per column, in order); inserts a full buffer.</summary>
    public void Add(ReadOnlySpan<object?> row)
    {
        if (row.Length != _columns) throw new ArgumentException($"A row has {_columns} values, not {row.Length}.", nameof(row));
        _values ??= new object?[RowsPerStatement * _columns];
        row.CopyTo(_values.AsSpan(_rows * _columns));
        RowAdded();
    }

    /// <summary>Counts the row just put at <see cref="Buffered"/>; inserts a full buffer.</summary>
    protected void RowAdded()
    {
        if (++_rows < RowsPerStatement) return;
        _rows = 0; // first: a failing statement leaves no rows behind for the next transaction
        for (int i = 0; i < RowsPerStatement; i++) BindRow(_many, i, i);
        _many.ExecuteBound();
    }

    /// <summary>Binds buffered row <paramref name="row"/> as row <paramref name="into"/> of <paramref name="statement"/> (its parameters are the rows' values in row order).</summary>
    protected virtual void BindRow(PreparedSql statement, int into, int row)
    {
        for (int c = 0; c < _columns; c++) statement.Bind(into * _columns + c, _values![row * _columns + c]);
    }

    /// <summary>Lets go of the buffered rows' references.</summary>
    protected virtual void ClearRows()
    {
        if (_values is not null) Array.Clear(_values);
    }

    /// <summary>Inserts the rows still buffered.</summary>
    public void Flush()
    {
        int rows = _rows;
        _rows = 0;
        try
        {
            for (int i = 0; i < rows; i++)
            {
                BindRow(_one, 0, i);
                _one.ExecuteBound();
            }
        }
        finally
        {
            ClearRows();
        }
    }

    /// <summary>Drops the rows still buffered (their transaction rolls back).</summary>
    public void Discard()
    {
        _rows = 0;
        ClearRows();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _one.Dispose();
        _many.Dispose();
    }
}

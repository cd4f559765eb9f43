using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>A row that binds its own columns, unboxed, into a multi-row statement (see <see cref="TypedRowInsert{TRow}"/>).</summary>
internal interface IBoundRow
{
    /// <summary>Binds the row's values to <paramref name="statement"/>'s slots from <paramref name="firstSlot"/> on, in column order.</summary>
    void BindTo(PreparedSql statement, int firstSlot);
}

/// <summary>
/// A <see cref="MultiRowInsert"/> whose rows are structs that bind their own columns: the ingestor writes millions of
/// rows, and an array of boxed values per row (a box per number, a byte array per hash) was most of what it allocated.
/// </summary>
internal sealed class TypedRowInsert<TRow> : MultiRowInsert where TRow : struct, IBoundRow
{
    private readonly TRow[] _rows = new TRow[RowsPerStatement];
    private readonly int _columns;

    /// <summary>Prepares the statements for <paramref name="table"/> and its <paramref name="columns"/>, each ending in <paramref name="onConflict"/>.</summary>
    public TypedRowInsert(SqliteConnection connection, string table, string[] columns, string onConflict = "")
        : base(connection, table, columns, onConflict) => _columns = columns.Length;

    /// <summary>Adds one row; inserts a full buffer.</summary>
    public void Add(in TRow row)
    {
        _rows[Buffered] = row;
        RowAdded();
    }

    /// <inheritdoc />
    protected override void BindRow(PreparedSql statement, int into, int row) => _rows[row].BindTo(statement, into * _columns);

    /// <inheritdoc />
    protected override void ClearRows() => Array.Clear(_rows);
}

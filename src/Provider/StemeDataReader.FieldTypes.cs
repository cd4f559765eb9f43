using StemeQL.Core.Model;
using StemeQL.Internal;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Binding.Bound;

namespace StemeQL;

public sealed partial class StemeDataReader
{
    // Per result set: for each polymorphic column, the type all its values share (null: none),
    // worked out the first time a caller asks for a column's type.
    private ColumnType?[]? _sharedTypes;

    /// <summary>
    /// The CLR type of a column. A column of one StemeQL type reports that type (<c>string</c>,
    /// <c>long</c>, <c>double</c>, <c>bool</c>, <c>byte[]</c>, <c>DateTime</c>), with or without rows. A
    /// polymorphic column (<c>object</c>, or an expression over it) reports the type every non-NULL value
    /// of the result shares, and <c>object</c> when the values differ or there are none. To find that out,
    /// the first call reads the rest of the result set into memory (as Dapper's buffered queries do
    /// anyway); a reader whose caller never asks streams as before.
    /// </summary>
    public override Type GetFieldType(int ordinal) => FieldConverter.ClrType(ResultType(ordinal));

    /// <summary>
    /// The StemeQL name of the type <see cref="GetFieldType"/> reports (<c>text</c>, <c>integer</c>,
    /// <c>real</c>, <c>boolean</c>, <c>timestamp</c>, <c>bytes</c>): for a polymorphic column, the type
    /// its values share, and <c>object</c> when they differ or there are none, whichever row is current.
    /// </summary>
    public override string GetDataTypeName(int ordinal) => FieldConverter.TypeName(ResultType(ordinal));

    // The column's type in this result: its declared type, or for a polymorphic column the shared one.
    private ColumnType ResultType(int ordinal)
    {
        var column = Column(ordinal);
        return column.Type == ColumnType.Object ? SharedTypes()[ordinal] ?? ColumnType.Object : column.Type;
    }

    private ColumnType?[] SharedTypes()
    {
        if (_sharedTypes is not null) return _sharedTypes;
        var columns = Columns;
        var types = new ColumnType?[columns.Count];
        if (columns.All(c => c.Type != ColumnType.Object)) return _sharedTypes = types;
        var mixed = new bool[columns.Count];
        foreach (var row in BufferedRows())
        {
            for (int i = 0; i < columns.Count; i++)
            {
                if (columns[i].Type != ColumnType.Object || mixed[i] || row[i].IsNull) continue;
                // By kind, not by CLR value: a large object's bytes stay in the object store.
                var type = Types.Of(row[i]);
                if (types[i] is null) types[i] = type;
                else if (types[i] != type) (types[i], mixed[i]) = (null, true);
            }
        }
        return _sharedTypes = types;
    }

    // Every row of the result set: the current one, the peeked one and the rest, which are read into
    // memory here and then served from there, so the caller still reads each row once.
    private List<StemeValue[]> BufferedRows()
    {
        var all = new List<StemeValue[]>();
        // A row read in place is copied out of the store's row before the cursor moves on.
        if (_row is not null) all.Add(_row = _inPlace?.Copy() ?? _row);
        if (_peeked is not null) all.Add(_peeked = _inPlace?.Copy() ?? _peeked);
        if (_rows is null)
        {
            // A write's rows are a counted collection, built as they are enumerated: read them directly.
            if (_result is not null) all.AddRange(_result.Rows);
            return all;
        }
        var rest = new List<StemeValue[]>();
        while (_cancellation.MoveNext(_rows)) rest.Add(_inPlace?.Copy() ?? _rows.Current);
        _rows.Dispose();
        _rows = rest.GetEnumerator();
        _inPlace = null;
        all.AddRange(rest);
        return all;
    }
}

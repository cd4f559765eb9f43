using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Finds which of many keys (of one or more columns) a table holds, with one column of each row found: the keys go
/// <see cref="MultiRowInsert.RowsPerStatement"/> to a statement (a constant table of the keys with their positions,
/// then an index seek each), the rest one statement each. A batch asking about its keys one by one ran a
/// statement per key, more than the rows it then writes in multi-row statements.
/// </summary>
internal sealed class KeyedRowLookup : IDisposable
{
    private const int Rows = MultiRowInsert.RowsPerStatement;

    private readonly int _width;
    private readonly PreparedSql _one;
    private readonly PreparedSql _many;
    private readonly object?[] _keys;
    private readonly object?[] _key;
    private readonly List<(int Position, object? Value)> _found = [];
    private readonly Action<PreparedSql> _addFound;
    private readonly int _returned;

    /// <summary>Prepares both statements of <see cref="Statements"/> on <paramref name="connection"/>.</summary>
    public KeyedRowLookup(SqliteConnection connection, string table, string[] keyColumns, string? column)
    {
        var (one, many) = Statements(table, keyColumns, column);
        _width = keyColumns.Length;
        _keys = new object?[Rows * _width];
        _key = new object?[_width];
        _one = new PreparedSql(connection, one, keyColumns);
        _many = new PreparedSql(connection, many, MultiRowInsert.ParameterNames(keyColumns, Rows));
        _returned = Returned(column).Length;
        _addFound = row => _found.Add(((int)row.Int64(0), Value(row)));
    }

    /// <summary>
    /// The statement for one key and the one for <see cref="MultiRowInsert.RowsPerStatement"/> keys (exposed so tests
    /// can check their plans). The key is <paramref name="keyColumns"/> (a unique or primary key of the table);
    /// <paramref name="column"/> is the column returned of each row found (or several, comma-separated), or null to ask
    /// only whether it exists.
    /// </summary>
    public static (string One, string Many) Statements(string table, string[] keyColumns, string? column)
    {
        if (keyColumns.Length == 0) throw new ArgumentException("A keyed lookup needs a key column.", nameof(keyColumns));
        string one = $"SELECT {column ?? "1"} FROM {table} WHERE {string.Join(" AND ", keyColumns.Select(c => $"{c} = ${c}"))}";
        // The constant table's columns are column1 (the position), then column2… (the key's values).
        string values = string.Join(", ", Enumerable.Range(0, Rows).Select(i => $"({i}, {string.Join(", ", keyColumns.Select(c => $"${c}{i}"))})"));
        string on = string.Join(" AND ", keyColumns.Select((c, j) => $"t.{c} = k.column{j + 2}"));
        string many = $"""
            SELECT k.column1{string.Concat(Returned(column).Select(c => ", t." + c))}
            FROM (VALUES {values}) k
            CROSS JOIN {table} t ON {on}
            """;
        return (one, many);
    }

    /// <summary>
    /// The keys among the first <paramref name="count"/> that the table holds: each one's position (0 to
    /// <paramref name="count"/> − 1) with the row's column (an array of its columns when several were asked, null when only existence was asked). <paramref name="key"/>
    /// writes key <c>i</c>'s values, in the key columns' order, into the span it is given. The list is reused by the next call.
    /// </summary>
    public IReadOnlyList<(int Position, object? Value)> Find(int count, Action<int, Span<object?>> key)
    {
        _found.Clear();
        int whole = count - count % Rows;
        try
        {
            for (int start = 0; start < whole; start += Rows)
            {
                int before = _found.Count;
                for (int i = 0; i < Rows; i++) key(start + i, _keys.AsSpan(i * _width, _width));
                _many.ForEachRow(_keys, _addFound);
                // The statement numbers its keys from 0; a position is among all of them.
                for (int f = before; f < _found.Count; f++) _found[f] = (_found[f].Position + start, _found[f].Value);
            }
            for (int i = whole; i < count; i++)
            {
                key(i, _key);
                if (_one.Row(_key) is { } row) _found.Add((i, ValueIn(row)));
            }
        }
        finally
        {
            // The keys' values are not kept past the call.
            Array.Clear(_keys);
            Array.Clear(_key);
        }
        return _found;
    }

    private static string[] Returned(string? column) => column?.Split(", ") ?? [];

    // The column found (null when only existence was asked), or all of them as an array when several were asked: of a
    // row of the one-key statement, and of the current row of the many-key statement (after its position).
    private object? ValueIn(object?[] row) => _returned switch
    {
        0 => null,
        1 => row[0],
        _ => row,
    };

    private object? Value(PreparedSql row)
    {
        if (_returned == 0) return null;
        if (_returned == 1) return row.Value(1);
        var columns = new object?[_returned];
        for (int i = 0; i < columns.Length; i++) columns[i] = row.Value(i + 1);
        return columns;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _one.Dispose();
        _many.Dispose();
    }
}

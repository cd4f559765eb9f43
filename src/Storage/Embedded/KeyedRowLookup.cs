using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Finds which of many two-column keys a table holds, with one column of each row found: the keys go
/// <see cref="MultiRowInsert.RowsPerStatement"/> to a statement (a constant table of the keys with their positions,
/// then a primary-key seek each), the rest one statement each. A batch asking about its keys one by one ran a
/// statement per key, more than the rows it then writes in multi-row statements.
/// </summary>
internal sealed class KeyedRowLookup : IDisposable
{
    private const int Rows = MultiRowInsert.RowsPerStatement;

    private readonly PreparedSql _one;
    private readonly PreparedSql _many;
    private readonly object?[] _keys = new object?[Rows * 2];
    private readonly List<(int Position, object? Value)> _found = [];
    private readonly Action<object?[]> _addFound;
    private readonly bool _returnsColumn;

    /// <summary>Prepares both statements of <see cref="Statements"/> on <paramref name="connection"/>.</summary>
    public KeyedRowLookup(SqliteConnection connection, string table, string[] keyColumns, string? column)
    {
        var (one, many) = Statements(table, keyColumns, column);
        _one = new PreparedSql(connection, one, keyColumns);
        _many = new PreparedSql(connection, many, MultiRowInsert.ParameterNames(keyColumns, Rows));
        _returnsColumn = column is not null;
        _addFound = row => _found.Add(((int)(long)row[0]!, _returnsColumn ? row[1] : null));
    }

    /// <summary>
    /// The statement for one key and the one for <see cref="MultiRowInsert.RowsPerStatement"/> keys (exposed so tests
    /// can check their plans). The table's key is <paramref name="keyColumns"/> (two); <paramref name="column"/> is
    /// the column returned of each row found, or null to ask only whether it exists.
    /// </summary>
    public static (string One, string Many) Statements(string table, string[] keyColumns, string? column)
    {
        if (keyColumns.Length != 2) throw new ArgumentException("A keyed lookup takes a two-column key.", nameof(keyColumns));
        var (first, second) = (keyColumns[0], keyColumns[1]);
        string one = $"SELECT {column ?? "1"} FROM {table} WHERE {first} = ${first} AND {second} = ${second}";
        string many = $"""
            SELECT k.column1{(column is null ? "" : ", t." + column)}
            FROM (VALUES {string.Join(", ", Enumerable.Range(0, Rows).Select(i => $"({i}, ${first}{i}, ${second}{i})"))}) k
            CROSS JOIN {table} t ON t.{first} = k.column2 AND t.{second} = k.column3
            """;
        return (one, many);
    }

    /// <summary>
    /// The keys among the first <paramref name="count"/> that the table holds: each one's position (0 to
    /// <paramref name="count"/> − 1) with the row's column (null when only existence was asked). The list is reused by
    /// the next call.
    /// </summary>
    public IReadOnlyList<(int Position, object? Value)> Find(int count, Func<int, (object? First, object? Second)> key)
    {
        _found.Clear();
        int whole = count - count % Rows;
        try
        {
            for (int start = 0; start < whole; start += Rows)
            {
                int before = _found.Count;
                for (int i = 0; i < Rows; i++) (_keys[2 * i], _keys[2 * i + 1]) = key(start + i);
                _many.ForEachRow(_keys, _addFound);
                // The statement numbers its keys from 0; a position is among all of them.
                for (int f = before; f < _found.Count; f++) _found[f] = (_found[f].Position + start, _found[f].Value);
            }
        }
        finally
        {
            Array.Clear(_keys);   // the keys' values are not kept past the call
        }
        for (int i = whole; i < count; i++)
        {
            var (first, second) = key(i);
            if (_one.Row(first, second) is { } row) _found.Add((i, _returnsColumn ? row[0] : null));
        }
        return _found;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _one.Dispose();
        _many.Dispose();
    }
}

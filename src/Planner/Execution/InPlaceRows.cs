using System.Collections;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The rows of a plan that <see cref="Plans.QueryPlan.ReadsInPlace"/>: ledger rows cut to some of their columns,
/// read through the store's cursor. The data reader takes the cursor itself (<see cref="Open"/>) and decodes a
/// value only when it is read, so no assertion, row array or hash text is made for what nobody reads. Anything
/// else that enumerates the rows gets each one copied out into its own array.
/// </summary>
/// <param name="store">The store (or a transaction's overlay of it).</param>
/// <param name="keys">The seek, with the fields the query reads.</param>
/// <param name="maxLsn">The newest LSN the query sees (AS OF).</param>
/// <param name="columns">For each result column, the <c>assertions</c> column it returns.</param>
/// <param name="offset">Rows to skip (OFFSET).</param>
/// <param name="limit">Rows to return at most (LIMIT), or null.</param>
/// <param name="cancellation">Checked between rows.</param>
internal sealed class InPlaceRows(IEpistemeStore store, KeyFilter keys, long maxLsn, int[] columns, long offset, long? limit,
    CancellationToken cancellation) : IEnumerable<StemeValue[]>
{
    /// <summary>A cursor over the rows, whose values are read from the row it is on.</summary>
    public InPlaceCursor Open() => new(store.OpenAssertions(keys, maxLsn), columns, offset, limit, cancellation);

    /// <inheritdoc />
    public IEnumerator<StemeValue[]> GetEnumerator()
    {
        using var cursor = Open();
        while (cursor.MoveNext()) yield return cursor.Copy();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// An <see cref="InPlaceRows"/> read. As an enumerator its <see cref="Current"/> is only a marker that a row is
/// there (an empty array): its values come from <see cref="Value"/>, valid until the next <see cref="MoveNext"/>.
/// </summary>
internal sealed class InPlaceCursor(IAssertionCursor rows, int[] columns, long offset, long? limit, CancellationToken cancellation)
    : IEnumerator<StemeValue[]>
{
    private static readonly StemeValue[] OnRow = [];

    private long _skip = offset;
    private long? _left = limit;
    private bool _onRow;

    /// <summary>An empty array while on a row (read its values with <see cref="Value"/>); null otherwise.</summary>
    public StemeValue[] Current => _onRow ? OnRow : null!;

    object IEnumerator.Current => Current;

    /// <summary>The number of columns of each row.</summary>
    public int Width => columns.Length;

    /// <summary>The current row's value in result column <paramref name="ordinal"/>, decoded now.</summary>
    public StemeValue Value(int ordinal) => Rows.AssertionValue(rows, columns[ordinal]);

    /// <summary>True when the current row's value in result column <paramref name="ordinal"/> is NULL, without decoding it.</summary>
    public bool IsNull(int ordinal) => Rows.AssertionValueIsNull(columns[ordinal]);

    /// <summary>The current row's values, copied into a new array.</summary>
    public StemeValue[] Copy()
    {
        var row = new StemeValue[columns.Length];
        for (int i = 0; i < row.Length; i++) row[i] = Value(i);
        return row;
    }

    public bool MoveNext()
    {
        _onRow = false;
        if (_left == 0)
        {
            // LIMIT reached: end the store's read now rather than when the reader closes.
            rows.Dispose();
            return false;
        }
        while (rows.MoveNext())
        {
            cancellation.ThrowIfCancellationRequested();
            if (_skip > 0)
            {
                _skip--;
                continue;
            }
            if (_left is { } left) _left = left - 1;
            return _onRow = true;
        }
        return false;
    }

    public void Reset() => throw new NotSupportedException();

    public void Dispose()
    {
        _onRow = false;
        rows.Dispose();
    }
}

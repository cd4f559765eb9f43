using System.Collections;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The rows of a plan that <see cref="Plans.QueryPlan.ReadsInPlace"/>: ledger rows cut to some of their columns,
/// read through the store's cursor. The data reader moves through them itself (<see cref="Open"/>) and decodes a
/// value only when it is read (<see cref="Value"/>), so no assertion, row array or hash text is made for what
/// nobody reads. Anything else that enumerates them gets each row copied out into its own array.
/// Written out rather than as an iterator, and one object for both roles: a keyed lookup makes one per execution.
/// </summary>
/// <param name="store">The store (or a transaction's overlay of it).</param>
/// <param name="keys">The seek, with the fields the query reads.</param>
/// <param name="maxLsn">The newest LSN the query sees (AS OF).</param>
/// <param name="columns">For each result column, the <c>assertions</c> column it returns.</param>
/// <param name="offset">Rows to skip (OFFSET).</param>
/// <param name="limit">Rows to return at most (LIMIT), or null.</param>
/// <param name="cancellation">Checked between rows.</param>
internal sealed class InPlaceRows(IEpistemeStore store, KeyFilter keys, long maxLsn, int[] columns, long offset, long? limit,
    CancellationToken cancellation) : IEnumerable<StemeValue[]>, IEnumerator<StemeValue[]>
{
    private static readonly StemeValue[] OnRow = [];

    private IAssertionCursor? _rows;
    private bool _opened;
    private long _skipped;
    private long _returned;
    private bool _onRow;

    /// <summary>
    /// The rows as a cursor (this object, the first time): <see cref="Current"/> is then only a marker that a row
    /// is there (an empty array), and its values come from <see cref="Value"/>, valid until the next <see cref="MoveNext"/>.
    /// </summary>
    public InPlaceRows Open()
    {
        if (_opened) return new InPlaceRows(store, keys, maxLsn, columns, offset, limit, cancellation).Open();
        _opened = true;
        return this;
    }

    /// <inheritdoc />
    public IEnumerator<StemeValue[]> GetEnumerator() => Copies(new InPlaceRows(store, keys, maxLsn, columns, offset, limit, cancellation));

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static IEnumerator<StemeValue[]> Copies(InPlaceRows rows)
    {
        using var cursor = rows.Open();
        while (cursor.MoveNext()) yield return cursor.Copy();
    }

    /// <summary>An empty array while on a row (read its values with <see cref="Value"/>); null otherwise.</summary>
    public StemeValue[] Current => _onRow ? OnRow : null!;

    object IEnumerator.Current => Current;

    /// <summary>The current row's value in result column <paramref name="ordinal"/>, decoded now.</summary>
    public StemeValue Value(int ordinal) => Rows.AssertionValue(_rows!, columns[ordinal]);

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
        var rows = _rows ??= store.OpenAssertions(keys, maxLsn);
        if (_returned == limit)
        {
            // LIMIT reached: end the store's read now rather than when the reader closes.
            rows.Dispose();
            return false;
        }
        while (rows.MoveNext())
        {
            cancellation.ThrowIfCancellationRequested();
            if (_skipped < offset)
            {
                _skipped++;
                continue;
            }
            _returned++;
            return _onRow = true;
        }
        return false;
    }

    public void Reset() => throw new NotSupportedException();

    public void Dispose()
    {
        _onRow = false;
        _rows?.Dispose();
    }
}

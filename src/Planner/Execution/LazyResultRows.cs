using System.Collections;
using StemeQL.Core.Model;

namespace StemeQL.Planner.Execution;

/// <summary>
/// A write statement's result rows, each built only when read: a batch run with ExecuteNonQuery (Dapper over a
/// list) never reads them, and building a row formats a 64-character hash. Subclasses say how row i is made.
/// </summary>
/// <param name="count">How many rows.</param>
internal abstract class LazyResultRows(int count) : IReadOnlyList<StemeValue[]>
{
    public int Count => count;

    public StemeValue[] this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
            return RowAt(index);
        }
    }

    public IEnumerator<StemeValue[]> GetEnumerator()
    {
        for (int i = 0; i < count; i++) yield return RowAt(i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Builds row <paramref name="index"/> (already checked to be in range).</summary>
    protected abstract StemeValue[] RowAt(int index);
}

using System.Collections;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The result rows of writes buffered in a transaction (hash, a NULL LSN and, for assertions, whether
/// it is new), built only when read: a VOTE run with ExecuteNonQuery in a transaction (Dapper over a
/// list) never reads them, and building a row formats a 64-character hash.
/// </summary>
/// <param name="operations">The statement's operations.</param>
/// <param name="created">Per operation, whether an assertion is new; null when there are no assertions.</param>
/// <param name="start">The first operation of these rows.</param>
/// <param name="count">How many rows.</param>
internal sealed class PendingResultRows(IReadOnlyList<WriteOperation> operations, bool[]? created, int start, int count)
    : IReadOnlyList<StemeValue[]>
{
    public int Count => count;

    public StemeValue[] this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
            return operations[start + index] switch
            {
                AssertOperation { Assertion: var a } => WriteResultRows.AssertRow(a.Hash, StemeValue.Null, created![start + index]),
                VoteOperation { Vote: var v } => WriteResultRows.VoteRow(v.Assertion, StemeValue.Null),
                _ => throw new InvalidOperationException("A buffered write is neither an assert nor a vote."),
            };
        }
    }

    /// <summary>The rows of <paramref name="length"/> operations from <paramref name="offset"/> (one statement of several).</summary>
    public PendingResultRows Slice(int offset, int length) => new(operations, created, start + offset, length);

    public IEnumerator<StemeValue[]> GetEnumerator()
    {
        for (int i = 0; i < count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

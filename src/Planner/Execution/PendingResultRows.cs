using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The result rows of writes buffered in a transaction (hash, a NULL LSN and, for assertions, whether
/// it is new), built only when read.
/// </summary>
/// <param name="operations">The statement's operations.</param>
/// <param name="created">Per operation, whether an assertion is new; null when there are no assertions.</param>
/// <param name="start">The first operation of these rows.</param>
/// <param name="count">How many rows.</param>
internal sealed class PendingResultRows(IReadOnlyList<WriteOperation> operations, bool[]? created, int start, int count)
    : LazyResultRows(count)
{
    /// <summary>The rows of <paramref name="length"/> operations from <paramref name="offset"/> (one statement of several).</summary>
    public PendingResultRows Slice(int offset, int length) => new(operations, created, start + offset, length);

    protected override StemeValue[] RowAt(int index) => operations[start + index] switch
    {
        AssertOperation { Assertion: var a } => WriteResultRows.AssertRow(a.Hash, StemeValue.Null, created![start + index]),
        VoteOperation { Vote: var v } => WriteResultRows.VoteRow(v.Assertion, StemeValue.Null),
        _ => throw new InvalidOperationException("A buffered write is neither an assert nor a vote."),
    };
}

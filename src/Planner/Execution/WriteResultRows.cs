using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The result rows of one ASSERT or VOTE statement (hash, LSN and, for assertions, whether it was
/// created), built only when read.
/// </summary>
internal sealed class WriteResultRows(IReadOnlyList<WriteOperation> operations, IReadOnlyList<WriteOutcome> outcomes, int start, int count)
    : LazyResultRows(count)
{
    protected override StemeValue[] RowAt(int index) => Row(operations[start + index], outcomes[start + index]);

    /// <summary>An ASSERT's row: hash, LSN (NULL inside a transaction, where it is known at commit), created.</summary>
    public static StemeValue[] AssertRow(ContentHash hash, StemeValue lsn, bool created) =>
        [StemeValue.Text(hash.ToString()), lsn, StemeValue.Boolean(created)];

    /// <summary>A VOTE's row: the target's hash and the LSN (NULL inside a transaction).</summary>
    public static StemeValue[] VoteRow(ContentHash assertion, StemeValue lsn) =>
        [StemeValue.Text(assertion.ToString()), lsn];

    private static StemeValue[] Row(WriteOperation operation, WriteOutcome outcome) => (operation, outcome) switch
    {
        (_, AssertOutcome a) => AssertRow(a.Hash, StemeValue.Integer(a.Lsn), a.Created),
        (VoteOperation v, _) => VoteRow(v.Vote.Assertion, StemeValue.Integer(outcome.Lsn)),
        _ => throw new InvalidOperationException("A write outcome does not match its operation."),
    };
}

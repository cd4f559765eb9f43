using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The writes of an open transaction, applied as one atomic store write at commit. Hashes are known
/// now (content addressing), LSNs only at commit, so result rows carry a NULL lsn.
/// </summary>
internal sealed class PendingTransaction(IEpistemeStore store)
{
    private readonly List<WriteOperation> _operations = [];
    private readonly HashSet<ContentHash> _asserted = [];

    /// <summary>The buffered operations in order.</summary>
    public IReadOnlyList<WriteOperation> Operations => _operations;

    /// <summary>Checks and buffers a statement's operations, all or none; returns its result rows.</summary>
    public List<StemeValue[]> Add(IReadOnlyList<WriteOperation> operations)
    {
        var asserted = new HashSet<ContentHash>(_asserted);
        var rows = new List<StemeValue[]>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AssertOperation { Assertion: var a }:
                    foreach (var parent in a.Lineage) Require(parent, asserted, "DERIVED FROM");
                    bool created = !asserted.Contains(a.Hash) && !store.Contains(a.Hash);
                    asserted.Add(a.Hash);
                    rows.Add(WriteResultRows.AssertRow(a.Hash, StemeValue.Null, created));
                    break;
                case VoteOperation { Vote: var v }:
                    Require(v.Assertion, asserted, "VOTE");
                    rows.Add(WriteResultRows.VoteRow(v.Assertion, StemeValue.Null));
                    break;
            }
        }
        _operations.AddRange(operations);
        _asserted.UnionWith(asserted);
        return rows;
    }

    private void Require(ContentHash hash, HashSet<ContentHash> asserted, string clause)
    {
        if (!asserted.Contains(hash) && !store.Contains(hash))
            throw UnknownAssertion(hash, clause);
    }

    /// <summary>The error for a hash that names no assertion.</summary>
    public static StemeException UnknownAssertion(ContentHash hash, string clause) =>
        new(StemeErrorCode.UnknownAssertion,
            $"{clause} names {hash}, but no assertion has that hash: use a hash returned by ASSERT (SELECT hash FROM assertions lists them).");
}

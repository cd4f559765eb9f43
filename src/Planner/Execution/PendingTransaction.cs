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
    private readonly AssertedInWrite _known = new(store);

    /// <summary>The buffered operations in order.</summary>
    public IReadOnlyList<WriteOperation> Operations => _operations;

    /// <summary>Checks and buffers a statement's operations, all or none; returns its result rows (built when read).</summary>
    public PendingResultRows Add(IReadOnlyList<WriteOperation> operations)
    {
        // The statement's new hashes go straight into the transaction's set and are taken out again if
        // it fails: copying the set per statement made a transaction of n ASSERTs cost n².
        List<ContentHash>? added = null;
        bool[]? created = null;
        try
        {
            for (int i = 0; i < operations.Count; i++)
            {
                switch (operations[i])
                {
                    case AssertOperation { Assertion: var a }:
                        WriteRules.RequireParents(a, _known, WriteWording.Statements);
                        (created ??= new bool[operations.Count])[i] = !_known.IsKnown(a.Hash);
                        if (_known.Add(a.Hash)) (added ??= []).Add(a.Hash);
                        break;
                    case VoteOperation { Vote: var v }:
                        WriteRules.RequireTarget(v, _known, WriteWording.Statements);
                        break;
                }
            }
        }
        catch
        {
            foreach (var hash in added ?? []) _known.Remove(hash);
            throw;
        }
        _operations.AddRange(operations);
        return new PendingResultRows(operations, created, 0, operations.Count);
    }
}

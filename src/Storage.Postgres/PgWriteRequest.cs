using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// What a write knows before it takes the clock lock: the hashes it names, its distinct assertions encoded as the
/// ledger stores them (value keys and digests included), and its votes' targets. None of it needs an LSN, so none of
/// it is computed while the lock is held.
/// </summary>
internal sealed class PgWriteRequest
{
    public PgWriteRequest(IReadOnlyList<WriteOperation> operations)
    {
        Operations = operations;
        var asserted = new List<Assertion>();
        var seen = new HashSet<ContentHash>();
        foreach (var operation in operations)
        {
            operation.AddNamedHashes(Named);
            switch (operation)
            {
                case AssertOperation { Assertion: { } a }:
                    if (seen.Add(a.Hash)) asserted.Add(a);
                    break;
                case VoteOperation { Vote: { } v }:
                    Votes.Add((v.Assertion, v.Agent));
                    break;
                default:
                    throw new ArgumentException($"Unknown write operation {operation.GetType().Name}.", nameof(operations));
            }
        }
        Asserted = asserted;
        Columns = new PgAssertionColumns(asserted);
        OutsideTargets = [.. Votes.Select(v => v.Assertion).Where(h => !seen.Contains(h)).Distinct()];
    }

    public IReadOnlyList<WriteOperation> Operations { get; }

    /// <summary>Every hash the write names: its assertions, their parents, its votes' targets.</summary>
    public HashSet<ContentHash> Named { get; } = [];

    /// <summary>The write's distinct assertions, in the order they first appear.</summary>
    public IReadOnlyList<Assertion> Asserted { get; }

    /// <summary><see cref="Asserted"/>, encoded (row i is assertion i).</summary>
    public PgAssertionColumns Columns { get; }

    /// <summary>The (target, agent) of each vote.</summary>
    public List<(ContentHash Assertion, string Agent)> Votes { get; } = [];

    /// <summary>The votes' targets the write does not assert itself: the fold needs their stored value keys.</summary>
    public IReadOnlyList<ContentHash> OutsideTargets { get; }

    /// <summary>The assertions with their value keys, for the fold's prefetch.</summary>
    public IEnumerable<(ContentHash Hash, PgValueKey Value)> AssertedValues => Asserted.Select((a, i) => (a.Hash, Columns.Keys[i]));
}

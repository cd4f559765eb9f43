using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <inheritdoc />
    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0) return [];
        lock (_writeLock)
        {
            ThrowIfDisposed();
            // One time for the whole atomic write, never earlier than the previous one, so that time
            // order follows LSN order and AS OF TIMESTAMP is a simple index search.
            long ticks = Math.Max(_time.GetUtcNow().UtcTicks, _lastStampTicks);
            long lsn = _lastLsn;
            long created = 0;
            var outcomes = new WriteOutcome[operations.Count];
            try
            {
                _ledger.Begin();
                for (int i = 0; i < operations.Count; i++)
                {
                    outcomes[i] = operations[i] switch
                    {
                        AssertOperation { Assertion: var assertion } => Assert(assertion, ref lsn, ref created, ticks),
                        VoteOperation { Vote: var vote } => CastVote(vote, ref lsn, ticks),
                        null => throw new ArgumentException($"Operation {i} is null.", nameof(operations)),
                        var other => throw new ArgumentException($"Operation {i} ({other.GetType().Name}) is not an assert or a vote.", nameof(operations)),
                    };
                }
                _ledger.Commit();
            }
            catch (SqliteException error)
            {
                _ledger.Rollback();
                throw Translate(error, "writing");
            }
            catch
            {
                _ledger.Rollback();
                throw;
            }
            // Only a committed write moves the counters: a failed one leaves no trace.
            Volatile.Write(ref _lastLsn, lsn);
            _lastStampTicks = ticks;
            Interlocked.Add(ref _assertionCount, created);
            return outcomes;
        }
    }

    private AssertOutcome Assert(Assertion assertion, ref long lsn, ref long created, long ticks)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        // Content addressing: an existing hash is the same claim; it keeps its LSN and confidence.
        if (_ledger.LsnOf(assertion.Hash) is long existing) return new AssertOutcome(assertion.Hash, existing, Created: false);
        foreach (var parent in assertion.Lineage)
        {
            if (_ledger.LsnOf(parent) is null)
            {
                throw new StemeException(StemeErrorCode.UnknownAssertion,
                    $"DERIVED FROM names {parent}, which is not a stored assertion: assert it first (in the same write it must come before the assertion derived from it). Nothing was written.");
            }
        }
        lsn++;
        _ledger.InsertAssertion(assertion, lsn, ticks);
        var key = new ValueKey(assertion.Subject, assertion.Predicate, (long)assertion.Object.ObjectType, ValueCodec.ToColumn(assertion.Object));
        _views.OnAssert(key, Weights.ToUnits(assertion.Confidence), lsn);
        created++;
        return new AssertOutcome(assertion.Hash, lsn, Created: true);
    }

    private VoteOutcome CastVote(Vote vote, ref long lsn, long ticks)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var key = _ledger.KeyOf(vote.Assertion) ?? throw new StemeException(StemeErrorCode.UnknownAssertion,
            $"VOTE names {vote.Assertion}, which is not a stored assertion: check the hash (ASSERT returns it), or assert the claim first (in the same write it must come before the vote). Nothing was written.");
        lsn++;
        _ledger.InsertVote(vote, lsn, ticks);
        _views.OnVote(key, ValueCodec.HashToColumn(vote.Assertion), vote.Agent, Weights.ToUnits(vote.Weight), lsn);
        return new VoteOutcome(lsn);
    }
}

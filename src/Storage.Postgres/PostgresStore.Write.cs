using System.Data;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_readOnly)
            throw new StemeException(StemeErrorCode.ReadOnly, $"The store at {Where} was opened read-only: open it without Read Only=True to write.");
        if (operations.Count == 0) return [];
        using var connection = OpenConnection("writing");
        var (outcomes, last) = Run("writing", () =>
        {
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            var (lastLsn, lastTicks) = PgClock.Lock(connection, transaction);
            var write = new PgSequencedWrite(connection, transaction, operations, lastLsn);
            var outcomes = new WriteOutcome[operations.Count];
            for (int i = 0; i < operations.Count; i++)
            {
                outcomes[i] = operations[i] switch
                {
                    AssertOperation { Assertion: { } assertion } => write.Assert(assertion),
                    VoteOperation { Vote: { } vote } => write.Vote(vote),
                    _ => throw new ArgumentException($"Unknown write operation {operations[i].GetType().Name}.", nameof(operations)),
                };
            }
            if (write.LastLsn == lastLsn) return (outcomes, lastLsn); // only re-assertions: nothing to write
            // Write times never decrease with the LSN, whatever the clocks of the writing machines say.
            long ticks = Math.Max(_time.GetUtcNow().UtcTicks, lastTicks);
            var appended = PgLedgerInsert.Assertions(connection, transaction, write.Assertions, ticks);
            PgLedgerInsert.Votes(connection, transaction, write.Votes, ticks);
            FoldViews(connection, transaction, write, appended);
            PgClock.Advance(connection, transaction, write.LastLsn, ticks, write.Assertions.Count, write.Votes.Count);
            transaction.Commit();
            return (outcomes, write.LastLsn);
        });
        AdvanceSeen(last);
        return outcomes;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> WriteDeferred(IReadOnlyList<WriteOperation> operations) =>
        // The commit is the durability point: there is no earlier moment to hand back.
        Task.FromResult(Write(operations));

    /// <inheritdoc />
    public bool Contains(ContentHash hash) =>
        Scalar("SELECT 1 FROM assertions WHERE hash = $1", "looking up an assertion", PgCommands.Bytes(hash.Bytes.ToArray())) is not null;

    // The events folded in one batch, through a buffer that reads the rows they touch up front and writes them back at the end.
    private void FoldViews(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, PgSequencedWrite write, PgAssertionColumns appended)
    {
        var keys = appended.Keys;
        var buffer = new PgFoldBuffer(connection, transaction, _lensNames) { NewAssertions = appended };
        buffer.Prefetch(write.Assertions.Select((a, i) => (a.Assertion.Hash, keys[i])), write.Votes.Select(v => (v.Vote.Assertion, v.Vote.Agent)));
        var fold = new ViewFold<PgValueKey>(buffer, buffer, _lenses);
        for (int i = 0; i < write.Assertions.Count; i++)
        {
            var (a, lsn) = write.Assertions[i];
            fold.Assert(a.Hash, keys[i], Weights.ToUnits(a.Confidence), lsn);
        }
        foreach (var (vote, lsn) in write.Votes) fold.Vote(vote.Assertion, vote.Agent, Weights.ToUnits(vote.Weight), lsn);
        fold.Flush();
        buffer.WriteBack();
    }

    private void AdvanceSeen(long lsn)
    {
        long seen;
        while (lsn > (seen = Volatile.Read(ref _lastSeen)) && Interlocked.CompareExchange(ref _lastSeen, lsn, seen) != seen) { }
    }
}

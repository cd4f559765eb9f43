using System.Data;
using Npgsql;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // There is no back-pressure to wait for here (the views are folded in the write's transaction), so the
        // token is only looked at before the write starts.
        cancellation.ThrowIfCancellationRequested();
        if (_readOnly)
            throw new StemeException(StemeErrorCode.ReadOnly, $"The store at {Where} was opened read-only: open it without Read Only=True to write.");
        if (operations.Count == 0) return [];
        // Before the lock: the operations are encoded and hashed; the write's votes' stored targets are looked up.
        var request = new PgWriteRequest(operations);
        var commit = new PgCommitCheck();
        WriteOutcome[] outcomes;
        long last;
        try
        {
            using var connection = OpenConnection("writing");
            (outcomes, last) = Run("writing", () => Sequence(connection, request, commit));
        }
        catch (StemeException lost) when (commit.Sent && lost.ErrorCode is StemeErrorCode.ConnectionLost or StemeErrorCode.Timeout)
        {
            (outcomes, last) = AfterLostCommit(commit, lost);
        }
        AdvanceSeen(last);
        return outcomes;
    }

    /// <summary>Tests only: runs after the commit's round trip (throwing there stands for a reply lost on the way back).</summary>
    internal Action? AfterCommitForTests { get; set; }

    /// <summary>Tests only: runs with the write's connection just before the commit's round trip is sent.</summary>
    internal Action<NpgsqlConnection>? BeforeCommitForTests { get; set; }

    // The connection went while the commit was on its way: asked again on a new one, the write either was committed
    // (its outcomes stand, so a retry cannot record a vote twice) or was not (a retry writes it once). Only when the
    // server cannot answer does the caller get the loss as it was, with the outcome unknown.
    private (WriteOutcome[] Outcomes, long Last) AfterLostCommit(PgCommitCheck commit, StemeException lost)
    {
        bool committed;
        try
        {
            using var connection = OpenConnection("checking whether a lost commit happened");
            committed = commit.Committed(connection);
        }
        catch (Exception error) when (error is StemeException || PgErrors.IsDatabaseError(error))
        {
            throw lost;
        }
        if (committed) return (commit.Outcomes, commit.LastLsn);
        throw new StemeException(lost.ErrorCode == StemeErrorCode.Timeout ? StemeErrorCode.Timeout : StemeErrorCode.ConnectionLost,
            $"The connection to {Where} was lost while committing a write, and the write was not committed (checked on a new connection): nothing of it was stored; retry it.",
            lost);
    }

    // Two round trips under the clock lock (see docs/storage.md, "How writes are ordered"): the lock with every read
    // the write needs, then the ledger, the views, the clock and the commit.
    private (WriteOutcome[] Outcomes, long Last) Sequence(NpgsqlConnection connection, PgWriteRequest request, PgCommitCheck commit)
    {
        var stored = new PgStoredAssertions();
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        var reads = new PgBatch(connection, transaction);
        // A stored assertion never changes: its value key (which views a vote moves) is read without the lock.
        bool outside = request.OutsideTargets.Count > 0;
        if (outside)
        {
            PgKeyLookupPlans.Add(reads);
            stored.Add(reads, request.OutsideTargets);
            reads.Execute();
        }
        var buffer = new PgFoldBuffer(connection, transaction, _lensNames);
        foreach (var (hash, value) in stored.Values) buffer.Know(hash, value);
        // The plan settings ride on the lock unless the read before it took them.
        var clock = PgClock.Lock(reads, lookupPlans: !outside);
        // After the lock, each statement sees every write committed before it: what was not found is asked again.
        stored.Add(reads, request.Named);
        buffer.Prefetch(reads, request.AssertedValues, request.Votes);
        reads.Execute();
        buffer.FinishPrefetch();

        var write = new PgSequencedWrite(stored, clock.LastLsn);
        var outcomes = new WriteOutcome[request.Operations.Count];
        for (int i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = request.Operations[i] switch
            {
                AssertOperation { Assertion: { } assertion } => write.Assert(assertion),
                VoteOperation { Vote: { } vote } => write.Vote(vote),
                _ => throw new InvalidOperationException("PgWriteRequest admits assertions and votes only."),
            };
        }
        if (write.LastLsn == clock.LastLsn) return (outcomes, clock.LastLsn); // only re-assertions: nothing to write (disposing rolls back)
        // A vote target another writer stored after the first lookup: its value key, for the fold's reads on demand.
        foreach (var (hash, value) in stored.Values) buffer.Know(hash, value);

        // Write times never decrease with the LSN, whatever the clocks of the writing machines say.
        long ticks = Math.Max(_time.GetUtcNow().UtcTicks, clock.LastTicks);
        var appended = request.Columns.Appended(NewRows(request, write), [.. write.Assertions.Select(a => a.Lsn)], ticks);
        var writes = new PgBatch(connection, transaction);
        using (var ledger = PgLedgerInsert.Assertions(connection, writes, appended))
        {
            // A bulk write folds while the server ingests its ledger rows; a read the fold needs on demand ends the COPY first.
            buffer.BeforeRead = () => ledger?.Complete();
            buffer.NewAssertions = appended;
            Fold(buffer, write, appended);
            ledger?.Complete();
            buffer.BeforeRead = null;
        }
        PgLedgerInsert.Votes(connection, writes, write.Votes, ticks);
        buffer.WriteBack(writes);
        PgClock.Advance(writes, write.LastLsn, ticks, write.Assertions.Count, write.Votes.Count);
        // The commit rides in the same round trip; a statement that fails before it aborts the transaction whole.
        writes.Add("COMMIT", null);
        BeforeCommitForTests?.Invoke(connection);
        commit.Sending(write, ticks, outcomes);
        writes.Execute();
        AfterCommitForTests?.Invoke();
        return (outcomes, write.LastLsn);
    }

    // The rows of the request's assertions that this write appends (the others were stored), in order.
    private static List<int> NewRows(PgWriteRequest request, PgSequencedWrite write)
    {
        var created = write.Assertions.Select(a => a.Assertion.Hash).ToHashSet();
        return [.. Enumerable.Range(0, request.Asserted.Count).Where(i => created.Contains(request.Asserted[i].Hash))];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> WriteDeferred(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default) =>
        // The commit is the durability point: there is no earlier moment to hand back.
        Task.FromResult(Write(operations, cancellation));

    /// <inheritdoc />
    public bool Contains(ContentHash hash) =>
        Scalar("SELECT 1 FROM assertions WHERE hash = $1", "looking up an assertion", PgCommands.Bytes(hash.Bytes.ToArray())) is not null;

    // The events folded in memory; the buffer read their rows with the lock and writes them back with the commit.
    private void Fold(PgFoldBuffer buffer, PgSequencedWrite write, PgAssertionColumns appended)
    {
        var keys = appended.Keys;
        var fold = new ViewFold<PgValueKey>(buffer, buffer, _lenses);
        for (int i = 0; i < write.Assertions.Count; i++)
        {
            var (a, lsn) = write.Assertions[i];
            fold.Assert(a.Hash, keys[i], Weights.ToUnits(a.Confidence), lsn);
        }
        foreach (var (vote, lsn) in write.Votes) fold.Vote(vote.Assertion, vote.Agent, Weights.ToUnits(vote.Weight), lsn);
        fold.Flush();
    }

    private void AdvanceSeen(long lsn)
    {
        long seen;
        while (lsn > (seen = Volatile.Read(ref _lastSeen)) && Interlocked.CompareExchange(ref _lastSeen, lsn, seen) != seen) { }
    }
}

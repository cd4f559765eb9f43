using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Applies durable journal batches to SQLite in two stages, each its own transaction with its own
/// watermark: ingest (ledger rows) and materialize (view updates through Core's lens folds, O(1) amortized per event). Both
/// skip operations at or below their watermark, so replaying the journal after a crash is exact.
/// Runs on one thread at a time (the ingestor thread, or recovery before it starts). Each commit wakes
/// the <see cref="WalCheckpointer"/>, which copies the WAL into the database on its own thread.
/// The batch's new assertions are noted in <paramref name="newSets"/> while it is materialized, so the view rows
/// of the sets it creates are written from memory, and the rows it updates in existing sets are read ahead, many per
/// statement (<see cref="ViewReadAhead"/>). Each vote's target LSN, which its rows store, is resolved per chunk in the
/// support rows' <see cref="ViewMaintenance.Targets"/>, which the views' fold reads too.
/// </summary>
internal sealed class LedgerApplier(LedgerWriter ledger, ViewFold<ValueKey> views, ViewMaintenance supportRows, WatermarkTable watermarks, WalCheckpointer checkpointer, NewSetRows newSets)
{
    private readonly VoteTargets _targets = supportRows.Targets;
    private readonly HashSet<long> _voteTargets = [];

    // Each vote's target LSN, by the vote's place among the chunk's operations (-1: not resolved), found once per
    // chunk by ResolveTargets, so the two stages do not look each vote's hash up in the targets' map again.
    private long[] _chunkTargets = [];

    /// <summary>The newest LSN in the ledger tables.</summary>
    public long Ingested { get; private set; } = watermarks.Get(WatermarkTable.IngestedKey);

    /// <summary>The newest LSN folded into the views.</summary>
    public long Materialized { get; private set; } = watermarks.Get(WatermarkTable.MaterializedKey);

    /// <summary>Newly ingested assertions since the store opened (for CountAssertions).</summary>
    public long AssertionsIngested { get; private set; }

    /// <summary>The newest LSN the store has recorded as durable (acknowledged).</summary>
    private long _recordedDurable = watermarks.Get(WatermarkTable.DurableKey);

    /// <summary>
    /// Writes the batches' ledger rows, and records <paramref name="durable"/> (the newest acknowledged LSN)
    /// in the same transaction, so a later open knows how far the journal must reach.
    /// </summary>
    public void Ingest(IReadOnlyList<JournalBatch> batches, long durable)
    {
        int added = 0;
        long last = Ingested;
        InTransaction(() =>
        {
            ResolveTargets(batches, Ingested);
            int place = -1;
            foreach (var batch in batches)
            {
                long batchStart = last;
                foreach (var op in batch.Ops)
                {
                    place++;
                    if (op.Lsn <= Ingested) continue;
                    switch (op)
                    {
                        case JournalAssert a:
                            ledger.InsertAssertion(a.Assertion, a.Lsn, batch.Ticks);
                            added++;
                            break;
                        case JournalVote v:
                            ledger.InsertVote(v.Vote, TargetOf(place, v.Vote), v.Lsn, batch.Ticks);
                            break;
                    }
                    last = op.Lsn;
                }
                if (last > batchStart) ledger.InsertBatchTime(batch.Ticks, last);
            }
            // Row order does not matter inside one transaction: rows are keyed by LSN.
            ledger.FlushRows();
            watermarks.Set(WatermarkTable.IngestedKey, last);
            if (Math.Max(durable, last) > _recordedDurable) watermarks.Set(WatermarkTable.DurableKey, Math.Max(durable, last));
        });
        _recordedDurable = Math.Max(_recordedDurable, Math.Max(durable, last));
        Ingested = last;
        AssertionsIngested += added;
    }

    // Every vote's target LSN before any row is written: the chunk's own assertions (all of them, for the fold too,
    // even below the watermark after a crash), then those remembered from earlier chunks, then the ledger's hash index.
    // Votes at or below `applied` are not looked up (their stage skips them).
    // The LSNs land in _chunkTargets; a vote whose target is not known yet is looked up again once the rest are.
    private void ResolveTargets(IReadOnlyList<JournalBatch> batches, long applied)
    {
        _targets.StartChunk();
        int ops = batches.Sum(batch => batch.Ops.Count);
        if (_chunkTargets.Length < ops) _chunkTargets = new long[Math.Max(ops, _chunkTargets.Length * 2)];
        var unknown = new HashSet<ContentHash>();
        int place = -1;
        foreach (var batch in batches)
        {
            foreach (var op in batch.Ops)
            {
                place++;
                if (op is JournalAssert a) _targets.Known(a.Assertion.Hash, a.Lsn);
                else if (op is JournalVote v)
                {
                    if (_targets.TryGet(v.Vote.Assertion, out long target)) _chunkTargets[place] = target;
                    else
                    {
                        _chunkTargets[place] = -1;
                        if (v.Lsn > applied) unknown.Add(v.Vote.Assertion);
                    }
                }
            }
        }
        if (unknown.Count > 0) _targets.Resolve([.. unknown]);
        // Second pass for the rest: resolved from the ledger just now, or asserted later in the chunk.
        place = -1;
        foreach (var batch in batches)
        {
            foreach (var op in batch.Ops)
            {
                place++;
                if (op is JournalVote v && _chunkTargets[place] < 0 && _targets.TryGet(v.Vote.Assertion, out long target)) _chunkTargets[place] = target;
            }
        }
    }

    // The target LSN of the vote at `place` in the chunk; an error when there is none (the write path checks every target).
    private long TargetOf(int place, Vote vote) => _chunkTargets[place] is >= 0 and var lsn
        ? lsn
        : throw new InvalidOperationException($"A vote is on {vote.Assertion}, which the store does not hold.");

    /// <summary>
    /// Folds the batches' events into the views (they must already be ingested) through Core's
    /// <see cref="ViewFold{TValue}"/>, in one transaction with the materialized watermark.
    /// </summary>
    public void Materialize(IReadOnlyList<JournalBatch> batches)
    {
        long last = Materialized;
        InTransaction(() =>
        {
            try
            {
                last = Collect(batches);
                supportRows.ReadAheadFor(_voteTargets);
            }
            catch
            {
                views.Discard();
                EndBatch();
                throw;
            }
            try
            {
                views.Flush();
            }
            finally
            {
                EndBatch();
            }
            watermarks.Set(WatermarkTable.MaterializedKey, last);
        });
        Materialized = last;
    }

    /// <summary>
    /// Folds events the ledger already holds (read back by <see cref="LedgerReplay"/>) into the views: their targets
    /// are resolved first, as <see cref="Ingest"/> resolves a chunk's, since the fold takes a target asserted in the
    /// same chunk from memory.
    /// </summary>
    public void MaterializeIngested(IReadOnlyList<JournalBatch> batches)
    {
        ResolveTargets(batches, Materialized);
        Materialize(batches);
    }

    // Hands each event above the watermark to the fold; returns the last LSN seen.
    private long Collect(IReadOnlyList<JournalBatch> batches)
    {
        long last = Materialized;
        int place = -1;
        foreach (var batch in batches)
        {
            foreach (var op in batch.Ops)
            {
                place++;
                if (op.Lsn <= Materialized) continue;
                switch (op)
                {
                    case JournalAssert { Assertion: var a }:
                        var key = new ValueKey(a.Subject, a.Predicate, (long)a.Object.ObjectType, ValueCodec.ToColumn(a.Object));
                        views.Assert(a.Hash, key, Weights.ToUnits(a.Confidence), op.Lsn);
                        newSets.Asserted(a, op.Lsn, batch.Ticks, key);
                        break;
                    case JournalVote { Vote: var vote }:
                        views.Vote(vote.Assertion, vote.Agent, Weights.ToUnits(vote.Weight), op.Lsn);
                        if (_chunkTargets[place] >= 0) _voteTargets.Add(_chunkTargets[place]);
                        break;
                }
                last = op.Lsn;
            }
        }
        return last;
    }

    private void EndBatch()
    {
        newSets.Clear();
        supportRows.ReadAhead?.Clear();
        supportRows.Tallies?.Clear();
        _voteTargets.Clear();
    }

    /// <summary>
    /// Marks the LSNs after both watermarks up to <paramref name="through"/> as applied when no frame holds them (a
    /// salvage lost them, or new writes were moved past what a deleted segment could have held): otherwise a read
    /// waiting for them would wait until the next write.
    /// </summary>
    public void SkipLost(long through)
    {
        if (through <= Math.Min(Ingested, Materialized)) return;
        InTransaction(() =>
        {
            watermarks.Set(WatermarkTable.IngestedKey, Math.Max(Ingested, through));
            watermarks.Set(WatermarkTable.MaterializedKey, Math.Max(Materialized, through));
        });
        (Ingested, Materialized) = (Math.Max(Ingested, through), Math.Max(Materialized, through));
    }

    /// <summary>The newest LSN known to be on disk in the store itself, not only in the journal (see <see cref="MakeDurable"/>).</summary>
    public long DurableInStore { get; private set; }

    /// <summary>
    /// Makes every transaction committed so far durable. The writer commits with synchronous = NORMAL,
    /// which reaches the disk only at a checkpoint: a power cut could lose the newest commits, and replay
    /// from the journal restores them, unless their journal segment was deleted. One commit with
    /// synchronous = FULL fsyncs the WAL, and with it every frame before it.
    /// </summary>
    public void MakeDurable()
    {
        ledger.SyncCommits(full: true);
        try
        {
            InTransaction(() => watermarks.Set(WatermarkTable.MaterializedKey, Materialized));
        }
        finally
        {
            ledger.SyncCommits(full: false);
        }
        DurableInStore = Materialized;
    }

    private void InTransaction(Action body)
    {
        ledger.Begin();
        try
        {
            body();
            ledger.Commit();
        }
        catch
        {
            ledger.Rollback();
            throw;
        }
        checkpointer.Committed();
    }

}

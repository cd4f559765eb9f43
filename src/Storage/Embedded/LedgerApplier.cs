using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Applies durable journal batches to SQLite in two stages, each its own transaction with its own
/// watermark: ingest (ledger rows) and materialize (view updates, O(1) amortized per event). Both
/// skip operations at or below their watermark, so replaying the journal after a crash is exact.
/// Runs on one thread at a time (the ingestor thread, or recovery before it starts).
/// </summary>
internal sealed class LedgerApplier(SqliteConnection writer, LedgerWriter ledger, ViewMaintenance views, WatermarkTable watermarks)
{
    /// <summary>The newest LSN in the ledger tables.</summary>
    public long Ingested { get; private set; } = watermarks.Get(WatermarkTable.IngestedKey);

    /// <summary>The newest LSN folded into the views.</summary>
    public long Materialized { get; private set; } = watermarks.Get(WatermarkTable.MaterializedKey);

    /// <summary>Newly ingested assertions since the store opened (for CountAssertions).</summary>
    public long AssertionsIngested { get; private set; }

    /// <summary>Writes the batches' ledger rows; returns the hashes of the assertions it added.</summary>
    public List<ContentHash> Ingest(IReadOnlyList<JournalBatch> batches)
    {
        var added = new List<ContentHash>();
        long last = Ingested;
        InTransaction(() =>
        {
            foreach (var batch in batches)
            {
                foreach (var op in batch.Ops)
                {
                    if (op.Lsn <= Ingested) continue;
                    switch (op)
                    {
                        case JournalAssert a:
                            ledger.InsertAssertion(a.Assertion, a.Lsn, batch.Ticks);
                            added.Add(a.Assertion.Hash);
                            break;
                        case JournalVote v:
                            ledger.InsertVote(v.Vote, v.Lsn, batch.Ticks);
                            break;
                    }
                    last = op.Lsn;
                }
            }
            watermarks.Set(WatermarkTable.IngestedKey, last);
        });
        Ingested = last;
        AssertionsIngested += added.Count;
        return added;
    }

    /// <summary>Folds the batches' events into the views (they must already be ingested).</summary>
    public void Materialize(IReadOnlyList<JournalBatch> batches)
    {
        long last = Materialized;
        var keys = new Dictionary<ContentHash, ValueKey>();
        InTransaction(() =>
        {
            foreach (var batch in batches)
            {
                foreach (var op in batch.Ops)
                {
                    if (op.Lsn <= Materialized) continue;
                    switch (op)
                    {
                        case JournalAssert { Assertion: var a }:
                            var key = new ValueKey(a.Subject, a.Predicate, (long)a.Object.ObjectType, ValueCodec.ToColumn(a.Object));
                            keys[a.Hash] = key;
                            views.OnAssert(key, Weights.ToUnits(a.Confidence), op.Lsn);
                            break;
                        case JournalVote { Vote: var vote }:
                            if (!keys.TryGetValue(vote.Assertion, out var target))
                                keys[vote.Assertion] = target = ledger.KeyOf(vote.Assertion)
                                    ?? throw new InvalidOperationException($"The journal votes on {vote.Assertion}, which the ledger does not hold.");
                            views.OnVote(target, ValueCodec.HashToColumn(vote.Assertion), vote.Agent, Weights.ToUnits(vote.Weight), op.Lsn);
                            break;
                    }
                    last = op.Lsn;
                }
            }
            watermarks.Set(WatermarkTable.MaterializedKey, last);
        });
        Materialized = last;
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
    }

    /// <summary>The writer connection (for the store's scalar queries at open).</summary>
    public SqliteConnection Connection => writer;
}

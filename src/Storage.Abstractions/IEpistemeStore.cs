using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// A storage tier seen by the planner: an atomic write of assertions and votes, streaming scans of
/// the ledgers, and lookups in the materialized views. Implementations are thread-safe and shared by
/// every connection of a process that opens the same data source.
/// </summary>
public interface IEpistemeStore : IDisposable
{
    /// <summary>The lenses whose views this store keeps materialized (lowercase names).</summary>
    IReadOnlyCollection<string> MaterializedLenses { get; }

    /// <summary>The LSN of the newest acknowledged write, or <see cref="Lsn.None"/> for an empty store.</summary>
    long LastLsn { get; }

    /// <summary>
    /// The newest LSN folded into the views (every write up to it is visible). A field read for a store
    /// that writes; a read-only instance asks the database.
    /// </summary>
    long MaterializedLsn { get; }

    /// <summary>The progress of the write path (durable, ingested and materialized watermarks).</summary>
    StoreStatus Status { get; }

    /// <summary>
    /// Blocks until every write up to <paramref name="lsn"/> is visible in the ledger and the views
    /// (the materialized watermark has reached it). Throws OperationCanceledException when cancelled.
    /// After a storage failure it waits only for acknowledged writes, and not at all once the views
    /// can no longer move, so reads keep working (<see cref="Status"/> names the failure).
    /// </summary>
    void WaitForMaterialized(long lsn, CancellationToken cancellation);

    /// <summary>
    /// Like <see cref="WaitForMaterialized"/>, but completes a task instead of blocking a thread. The task
    /// is already complete when the views include <paramref name="lsn"/>.
    /// </summary>
    Task WaitForMaterializedAsync(long lsn, CancellationToken cancellation);

    /// <summary>
    /// Writes all operations atomically, in order, giving each new assertion and each vote the next
    /// LSN, and returns once they are durable. They become visible to reads when the materialized
    /// watermark reaches their LSNs (see <see cref="WaitForMaterialized"/>). A vote's target and every lineage hash must name a stored assertion or one asserted
    /// earlier in the same call; otherwise a <see cref="StemeException"/> with
    /// <see cref="StemeErrorCode.UnknownAssertion"/> is thrown and nothing is written. Re-asserting an
    /// existing assertion writes nothing and reports it with its original LSN and Created = false.
    /// <paramref name="cancellation"/> stops the write only while it waits to start (back-pressure, when the
    /// views are too far behind), with an <see cref="OperationCanceledException"/> and nothing written; once the
    /// write has started it completes.
    /// </summary>
    IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default);

    /// <summary>
    /// Like <see cref="Write"/>, but returns once the write is checked and sequenced (its LSNs
    /// given, its place in the journal taken) instead of once it is durable: the task completes with
    /// the outcomes when it is, or faults with a StorageFailure <see cref="StemeException"/>. A bulk
    /// loader builds its next batch while this one's fsync runs. Checks that fail throw at once and
    /// write nothing, as with <see cref="Write"/>, and <paramref name="cancellation"/> stops it as it stops <see cref="Write"/>.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> WriteDeferred(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default);

    /// <summary>True when an assertion with this hash is stored.</summary>
    bool Contains(ContentHash hash);

    /// <summary>
    /// Streams the assertions matching <paramref name="keys"/> (every key of <see cref="KeyFilter"/>) with LSN &lt;=
    /// <paramref name="maxLsn"/>, in LSN order (newest first when <see cref="KeyFilter.Descending"/>), at most
    /// <see cref="KeyFilter.Limit"/> of them. A pinned hash, agent, subject, (subject, predicate), predicate or LSN
    /// range is an index seek, and a descending read with a limit stops after that many rows without sorting.
    /// </summary>
    IEnumerable<StoredAssertion> ScanAssertions(KeyFilter keys, long maxLsn = long.MaxValue);

    /// <summary>
    /// The rows <see cref="ScanAssertions"/> returns, read in place: each row's parts are decoded only when the
    /// caller asks for them, and only those in <see cref="KeyFilter.Fields"/> may be asked for (a store may not
    /// even fetch the others). The default reads whole records; a store that can read in place overrides it.
    /// </summary>
    IAssertionCursor OpenAssertions(KeyFilter keys, long maxLsn = long.MaxValue) => new StoredAssertionCursor(ScanAssertions(keys, maxLsn));

    /// <summary>Streams every vote (replaced ones too) on the given assertions, or on all when null, with LSN &lt;= maxLsn, in LSN order.</summary>
    IEnumerable<StoredVote> ScanVotes(IReadOnlyCollection<ContentHash>? assertions, long maxLsn = long.MaxValue);

    /// <summary>
    /// Streams every vote (replaced ones too) matching <paramref name="keys"/>: <see cref="KeyFilter.Hashes"/> are the voted
    /// assertions, <see cref="KeyFilter.Agents"/> the voters, the LSN range the vote's; subjects, predicates and objects are
    /// those of the voted assertion. LSN &lt;= maxLsn, in LSN order (or reversed), at most <see cref="KeyFilter.Limit"/>.
    /// </summary>
    IEnumerable<StoredVote> ScanVotesOn(KeyFilter keys, long maxLsn = long.MaxValue);

    /// <summary>
    /// Streams the materialized view rows of <paramref name="lens"/> (one of <see cref="MaterializedLenses"/>)
    /// for the (subject, predicate) sets matching <paramref name="keys"/>, ordered by subject then predicate
    /// (or reversed). Subjects and predicates are the set's; hashes, agents, objects and the LSN range are the
    /// winner's, so a predicate with objects is a reverse lookup ("which subjects have capital_of = 'france'").
    /// </summary>
    IEnumerable<ViewRow> LookupView(string lens, KeyFilter keys);

    /// <summary>
    /// The view row of <paramref name="lens"/> for the one set (<paramref name="subject"/>, <paramref name="predicate"/>), with
    /// the <paramref name="fields"/> a query reads (the others empty): what <see cref="LookupView"/> returns for a filter pinning
    /// that set alone, read without its per-read objects (a prepared keyed lookup runs this once per execution). False when the
    /// set has no view row. The default reads it through <see cref="LookupView"/>; a store with a cheaper one-set read overrides it.
    /// </summary>
    bool TryLookupViewRow(string lens, string subject, string predicate, AssertionFields fields, out ViewRowValues row)
    {
        foreach (var found in LookupView(lens, new KeyFilter([subject], [predicate]) { Fields = fields }))
        {
            row = ViewRowValues.Of(found);
            return true;
        }
        row = default;
        return false;
    }

    /// <summary>How many assertions match <paramref name="keys"/>: <c>Count(StoreRelation.Assertions, keys)</c>.</summary>
    long CountAssertions(KeyFilter keys);

    /// <summary>
    /// Verifies the stored data: every assertion's hash, every vote's target, the materialized views
    /// against a fold of the ledger, and the journal's frames. Changes nothing unless
    /// <paramref name="repair"/> is true, which rebuilds the views from the ledger when they differ
    /// (damaged ledger rows and journal frames are only reported). Reads are not blocked meanwhile.
    /// </summary>
    IntegrityReport CheckIntegrity(bool repair, IProgress<IntegrityProgress>? progress, CancellationToken cancellation);

    /// <summary>
    /// How many rows of <paramref name="relation"/> match <paramref name="keys"/> (with the meaning the matching scan gives
    /// them; order and limit are ignored), counted in the store without returning the rows. <paramref name="lens"/> names
    /// the view when <paramref name="relation"/> is <see cref="StoreRelation.View"/>.
    /// </summary>
    long Count(StoreRelation relation, KeyFilter keys, string? lens = null);

    /// <summary>
    /// How many rows of <paramref name="relation"/> match <paramref name="keys"/>, per value of <paramref name="column"/>
    /// (order and limit ignored), one entry per key, in no promised order. Votes are counted by agent only. The default reads the
    /// rows (<see cref="GroupedCounts.ByScanning"/>); a store that can count in place overrides it.
    /// </summary>
    IReadOnlyList<GroupCount> CountBy(StoreRelation relation, KeyFilter keys, GroupColumn column, string? lens = null) =>
        GroupedCounts.ByScanning(this, relation, keys, column, lens);

    /// <summary>Sizes of the store for cost estimates; cheap to read (see <see cref="StoreStatistics"/>).</summary>
    StoreStatistics Statistics { get; }

    /// <summary>The LSN of the newest write at or before <paramref name="utc"/>, or <see cref="Lsn.None"/>.</summary>
    long LastLsnAt(DateTime utc);

    /// <summary>Where large <c>bytes</c> values are kept: the data folder's <c>objects/</c> or an S3 bucket.</summary>
    IObjectStore Objects { get; }

    /// <summary>Every reference to the object store in the ledger of assertions, in LSN order (for checks).</summary>
    IEnumerable<ObjectUse> ScanObjectUses();
}

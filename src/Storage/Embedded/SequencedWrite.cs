using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// One write being sequenced: checks each operation against the durable assertions and the ones
/// earlier in the same write, and gives each new assertion and each vote the next LSN. Nothing is
/// recorded anywhere until the whole write has passed, so a failing write leaves no trace. A large write's
/// lookups go into <paramref name="buffers"/>, which the caller empties once the write is sequenced.
/// </summary>
internal sealed class SequencedWrite(long lastLsn, AssertionIndex index, PrefetchBuffers buffers) : IKnownAssertions
{
    // Below this many operations, one lookup per hash is as cheap as a prefetch.
    private const int PrefetchThreshold = 64;

    // The first new assertion is kept in these two fields and only a second one makes the map: a
    // single ASSERT (one per round trip, as issue 11's sixteen writers send them) then allocates no
    // dictionary, and joins the pending set with one insert.
    private ContentHash _firstNew;
    private long _firstNewLsn;   // 0: none yet
    private Dictionary<ContentHash, long>? _new;
    private HashSet<ContentHash>? _prefetched;
    private Dictionary<ContentHash, long>? _known;

    /// <summary>Looks up every hash a large write names in one go (see <see cref="AssertionIndex.Prefetch"/>).</summary>
    public void Prefetch(IReadOnlyList<WriteOperation> operations)
    {
        Ops.Capacity = operations.Count;
        if (operations.Count < PrefetchThreshold) return;
        // Sized by what is there, not by the operation count: 10,000 votes on a few hundred targets
        // made two sets of 10,000 (about 900 KB in the large object heap, each batch), and the large
        // object heap's budget runs out into full collections. Reused from write to write (see PrefetchBuffers).
        var hashes = buffers.Named;
        int asserts = 0;
        foreach (var operation in operations)
        {
            operation.AddNamedHashes(hashes);
            if (operation is AssertOperation) asserts++;
        }
        if (asserts > 1) _new = new Dictionary<ContentHash, long>(asserts);
        _known = index.Prefetch(hashes, buffers.Known);
        _prefetched = hashes;
    }

    public List<JournalOp> Ops { get; } = [];

    public long LastLsn { get; private set; } = lastLsn;

    /// <summary>Hands the write's new assertions to the index's pending set; once, after the write was appended.</summary>
    public void AddNewAssertionsToPending()
    {
        if (_firstNewLsn == 0) return;
        if (_new is null)
        {
            index.AddPending(_firstNew, _firstNewLsn);
            return;
        }
        _new[_firstNew] = _firstNewLsn;
        index.AddPending(_new, LastLsn);
    }

    public AssertOutcome Assert(Assertion assertion)
    {
        // Content addressing: an existing hash is the same claim; it keeps its LSN and confidence.
        if (LsnOf(assertion.Hash) is long existing) return new AssertOutcome(assertion.Hash, existing, Created: false);
        WriteRules.RequireAgent(assertion.Agent);
        WriteRules.RequireParents(assertion, this, WriteWording.Statements);
        long lsn = ++LastLsn;
        if (_firstNewLsn == 0) (_firstNew, _firstNewLsn) = (assertion.Hash, lsn);
        else (_new ??= [])[assertion.Hash] = lsn;
        Ops.Add(new JournalAssert(lsn, assertion));
        return new AssertOutcome(assertion.Hash, lsn, Created: true);
    }

    public VoteOutcome Vote(Vote vote)
    {
        WriteRules.RequireAgent(vote.Agent);
        WriteRules.RequireTarget(vote, this, WriteWording.Statements);
        long lsn = ++LastLsn;
        Ops.Add(new JournalVote(lsn, vote));
        return new VoteOutcome(lsn);
    }

    /// <inheritdoc />
    public bool IsKnown(ContentHash hash) => LsnOf(hash) is not null;

    // A prefetched hash that was not found is certainly absent: see AssertionIndex.Prefetch.
    private long? LsnOf(ContentHash hash) =>
        _firstNewLsn != 0 && _firstNew == hash ? _firstNewLsn
        : _new is not null && _new.TryGetValue(hash, out long lsn) ? lsn
        : _known is not null && _known.TryGetValue(hash, out long known) ? known
        : _prefetched is not null && _prefetched.Contains(hash) ? null
        : index.LsnOf(hash);
}

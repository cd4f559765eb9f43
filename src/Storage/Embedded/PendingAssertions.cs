using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Assertions that are durable but not yet in the ledger, by hash, kept as hash → LSN maps in LSN
/// order. A large write's map is kept as it is, so making 65,536 assertions pending costs one
/// reference, not 65,536 inserts into one big dictionary. Smaller writes are merged into a shared map
/// of up to 65,536 entries: kept one per write, their maps were small enough to be born in the young
/// generation and survived there until ingested, so every collection copied them (a third of a
/// 1,000-command StemeBatch's time went to such pauses); a map this large lives in the large object
/// heap, which is never copied. Once the ingestor has committed a map's LSNs, the map is dropped
/// whole. Not thread-safe: the owning index's lock guards it.
/// </summary>
internal sealed class PendingAssertions
{
    /// <summary>
    /// Writes with at least this many new assertions keep their own map: from this size on its
    /// entries (48 bytes each) go straight to the large object heap.
    /// </summary>
    public const int OwnMapThreshold = 2_048;

    // A shared map is closed at this size, so it can be dropped once ingested.
    private const int SharedMapCapacity = 65_536;

    private readonly Queue<Segment> _sealed = new();
    private Segment? _open;

    // Concrete dictionaries, not interfaces: every write copies or probes them per hash.
    private sealed class Segment(Dictionary<ContentHash, long> map)
    {
        public Dictionary<ContentHash, long> Map { get; } = map;
        public long MaxLsn { get; set; }
    }

    /// <summary>Every pending hash.</summary>
    public IEnumerable<ContentHash> Hashes => _sealed.Concat(_open is null ? [] : [_open]).SelectMany(s => s.Map.Keys);

    /// <summary>
    /// Adds one write's new assertions, whose LSNs are at most <paramref name="max"/>; the map must
    /// not change afterwards.
    /// </summary>
    public void Add(Dictionary<ContentHash, long> assertions, long max)
    {
        if (assertions.Count == 0) return;
        if (assertions.Count >= OwnMapThreshold)
        {
            Seal();
            _sealed.Enqueue(new Segment(assertions) { MaxLsn = max });
            return;
        }
        foreach (var (hash, lsn) in assertions) Add(hash, lsn);
    }

    /// <summary>Adds one new assertion, whose LSN is above every one added before.</summary>
    public void Add(ContentHash hash, long lsn)
    {
        // Grown as needed, not allocated at full size: with single writes the ingestor often empties
        // pending, and each new shared map would otherwise cost 3 MB.
        _open ??= new Segment(new Dictionary<ContentHash, long>());
        _open.Map[hash] = lsn;
        _open.MaxLsn = Math.Max(_open.MaxLsn, lsn);
        if (_open.Map.Count >= SharedMapCapacity) Seal();
    }

    /// <summary>The LSN of a pending assertion.</summary>
    public bool TryGetLsn(ContentHash hash, out long lsn)
    {
        if (_open is not null && _open.Map.TryGetValue(hash, out lsn)) return true;
        foreach (var segment in _sealed)
        {
            if (segment.Map.TryGetValue(hash, out lsn)) return true;
        }
        lsn = 0;
        return false;
    }

    /// <summary>Drops the maps whose assertions are all in the ledger (LSNs up to <paramref name="ingested"/>).</summary>
    public void RemoveThrough(long ingested)
    {
        while (_sealed.TryPeek(out var oldest) && oldest.MaxLsn <= ingested) _sealed.Dequeue();
        if (_sealed.Count == 0 && _open is not null && _open.MaxLsn <= ingested) _open = null;
    }

    // Keeps LSN order: the shared map goes behind every earlier write before a large one joins.
    private void Seal()
    {
        if (_open is null) return;
        _sealed.Enqueue(_open);
        _open = null;
    }
}

using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Answers "is this hash an assertion, and what is its LSN?" for the write path: assertions that are
/// durable but not yet ingested (pending), a bounded cache of ones seen before, a filter of the
/// ledger's hashes that answers "new" for nearly every new assertion, and the ledger itself.
/// Content never changes, so a cached answer never goes stale.
/// </summary>
internal sealed class AssertionIndex : IDisposable
{
    private const int CacheCapacity = 200_000;
    private const int PrefetchChunk = 500;

    private readonly Lock _gate = new();
    private readonly PendingAssertions _pending = new();
    private readonly Dictionary<ContentHash, long> _cache = [];
    private readonly SqliteConnection _connection;
    private readonly PreparedSql _lsnOf;
    private readonly PreparedSql _lsnOfMany;
    private readonly LedgerHashFilter _filter;

    /// <param name="readerConnectionString">Where lookups read the ledger.</param>
    /// <param name="filterMinCapacity">The smallest hash filter built, in entries.</param>
    public AssertionIndex(string readerConnectionString, long filterMinCapacity)
    {
        _filter = new LedgerHashFilter(readerConnectionString, _gate, () => _pending.Hashes, filterMinCapacity);
        _connection = SqliteRuntime.Open(readerConnectionString);
        _lsnOf = new PreparedSql(_connection, "SELECT lsn FROM assertions WHERE hash = $hash", "hash");
        var names = Enumerable.Range(0, PrefetchChunk).Select(i => "h" + i).ToArray();
        _lsnOfMany = new PreparedSql(_connection,
            $"SELECT hash, lsn FROM assertions WHERE hash IN ({string.Join(", ", names.Select(n => "$" + n))})", names);
    }

    /// <summary>Starts building the hash filter in the background; until it is ready every lookup asks SQLite.</summary>
    public void StartFilter()
    {
        lock (_gate) _filter.Start();
    }

    /// <summary>The hash filter answering now (null while the first is built), and the build running, for tests.</summary>
    internal (HashFilter? Ready, Task Scan) Filter
    {
        get
        {
            lock (_gate) return (_filter.Ready, _filter.Scan);
        }
    }

    /// <summary>
    /// Looks up many hashes with a few IN queries instead of one query each, for a large write, and
    /// adds the LSNs of those that exist to <paramref name="known"/> (and returns it); every other hash
    /// in <paramref name="hashes"/> certainly does not exist. The answers hold while the caller holds the
    /// sequencer lock, since only hashes already pending can enter the ledger meanwhile, and pending is checked first.
    /// </summary>
    public Dictionary<ContentHash, long> Prefetch(IReadOnlyCollection<ContentHash> hashes, Dictionary<ContentHash, long> known)
    {
        List<ContentHash>? unknown = null;
        lock (_gate)
        {
            foreach (var hash in hashes)
            {
                // The filter first: it holds every pending hash too, so "certainly absent" settles it.
                if (_filter.CertainlyAbsent(hash)) continue;
                if (_pending.TryGetLsn(hash, out long lsn) || _cache.TryGetValue(hash, out lsn)) known[hash] = lsn;
                else (unknown ??= []).Add(hash);
            }
            // Every hash answered from memory (votes on assertions seen before): no query, nothing more to allocate.
            if (unknown is null) return known;
            var values = new object?[PrefetchChunk];
            for (int start = 0; start + PrefetchChunk <= unknown.Count; start += PrefetchChunk)
            {
                for (int i = 0; i < PrefetchChunk; i++) values[i] = ValueCodec.HashToColumn(unknown[start + i]);
                _lsnOfMany.ForEachRow(values, row => Remember(known, ContentHash.FromBytes((byte[])row.Value(0)!), (long)row.Value(1)!));
            }
            // The remainder (fewer than a chunk) is looked up one by one.
            for (int i = unknown.Count - unknown.Count % PrefetchChunk; i < unknown.Count; i++)
            {
                if (_lsnOf.Scalar(ValueCodec.HashToColumn(unknown[i])) is long stored) Remember(known, unknown[i], stored);
            }
        }
        return known;
    }

    // Found in the ledger: the next write naming it (votes come back to the same assertions) skips SQLite.
    private void Remember(Dictionary<ContentHash, long> known, ContentHash hash, long lsn)
    {
        known[hash] = lsn;
        Cache(hash, lsn);
    }

    private void Cache(ContentHash hash, long lsn)
    {
        if (_cache.Count >= CacheCapacity) _cache.Clear();
        _cache[hash] = lsn;
    }

    /// <summary>The LSN of an assertion that is durable, or null when there is none with that hash.</summary>
    public long? LsnOf(ContentHash hash)
    {
        lock (_gate)
        {
            // The filter first: it holds every pending hash too (see LedgerHashFilter). Then pending
            // before the ledger: the ingestor commits a hash before it leaves pending, so a hash
            // missing from both really is unknown.
            if (_filter.CertainlyAbsent(hash)) return null;
            if (_pending.TryGetLsn(hash, out long lsn) || _cache.TryGetValue(hash, out lsn)) return lsn;
            if (_lsnOf.Scalar(ValueCodec.HashToColumn(hash)) is not long stored) return null;
            Cache(hash, stored);
            return stored;
        }
    }

    /// <summary>Records one write's new assertions (LSNs up to <paramref name="maxLsn"/>), just sequenced; the map must not change afterwards.</summary>
    public void AddPending(Dictionary<ContentHash, long> assertions, long maxLsn)
    {
        lock (_gate)
        {
            _pending.Add(assertions, maxLsn);
            foreach (var hash in assertions.Keys) _filter.Add(hash);
        }
    }

    /// <summary>Records one write's only new assertion, just sequenced.</summary>
    public void AddPending(ContentHash hash, long lsn)
    {
        lock (_gate)
        {
            _pending.Add(hash, lsn);
            _filter.Add(hash);
        }
    }

    /// <summary>Forgets pending assertions once the ingestor has committed every LSN up to <paramref name="ingested"/>.</summary>
    public void RemovePendingThrough(long ingested)
    {
        lock (_gate) _pending.RemoveThrough(ingested);
    }

    public void Dispose()
    {
        // Outside the lock: a running scan takes it to publish its filter.
        _filter.Dispose();
        lock (_gate)
        {
            _lsnOf.Dispose();
            _lsnOfMany.Dispose();
            _connection.Dispose();
        }
    }
}

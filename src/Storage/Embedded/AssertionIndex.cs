using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Answers "is this hash an assertion, and what is its LSN?" for the write path: assertions that are
/// durable but not yet ingested (pending), a bounded cache of ones seen before, and the ledger itself.
/// Content never changes, so a cached answer never goes stale.
/// </summary>
internal sealed class AssertionIndex : IDisposable
{
    private const int CacheCapacity = 200_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<ContentHash, long> _pending = [];
    private readonly Dictionary<ContentHash, long> _cache = [];
    private readonly SqliteConnection _connection;
    private readonly PreparedSql _lsnOf;

    public AssertionIndex(string readerConnectionString)
    {
        _connection = new SqliteConnection(readerConnectionString);
        _connection.Open();
        _lsnOf = new PreparedSql(_connection, "SELECT lsn FROM assertions WHERE hash = $hash", "hash");
    }

    /// <summary>The LSN of an assertion that is durable, or null when there is none with that hash.</summary>
    public long? LsnOf(ContentHash hash)
    {
        lock (_gate)
        {
            // Pending before the ledger: the ingestor commits a hash before it leaves pending, so a hash
            // missing from both really is unknown.
            if (_pending.TryGetValue(hash, out long lsn) || _cache.TryGetValue(hash, out lsn)) return lsn;
            if (_lsnOf.Scalar(ValueCodec.HashToColumn(hash)) is not long stored) return null;
            if (_cache.Count >= CacheCapacity) _cache.Clear();
            _cache[hash] = stored;
            return stored;
        }
    }

    /// <summary>Records assertions just made durable.</summary>
    public void AddPending(IEnumerable<KeyValuePair<ContentHash, long>> assertions)
    {
        lock (_gate)
        {
            foreach (var (hash, lsn) in assertions) _pending[hash] = lsn;
        }
    }

    /// <summary>Forgets pending assertions once the ingestor has committed them to the ledger.</summary>
    public void RemovePending(IEnumerable<ContentHash> hashes)
    {
        lock (_gate)
        {
            foreach (var hash in hashes) _pending.Remove(hash);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _lsnOf.Dispose();
            _connection.Dispose();
        }
    }
}

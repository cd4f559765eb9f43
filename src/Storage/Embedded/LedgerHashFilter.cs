using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Keeps a <see cref="HashFilter"/> of every assertion hash in the ledger, so the write path can tell
/// that a new assertion is new without asking SQLite (about 3 µs a lookup). A filter is built in the
/// background by scanning the ledger's hashes; until the first one is ready, every question goes to
/// SQLite as before. When the ledger outgrows a filter, a larger one is built the same way while the
/// old one keeps answering.
/// <para>
/// Why a filter built while writes go on misses nothing: it is created under the index's lock with
/// every pending (durable, not yet ingested) hash in it, and from then on every hash the write path
/// makes pending is added to it too. The scan starts after that, so a hash in the ledger was either
/// there when the scan read its range, or became pending after the filter was created.
/// </para>
/// All members except the background scan are called under the owning index's lock.
/// </summary>
internal sealed class LedgerHashFilter : IDisposable
{
    private const int ScanChunk = 65_536;

    /// <summary>One chunk of the scan: a range of the unique index on hash, never the table.</summary>
    public const string ScanSql = "SELECT hash FROM assertions WHERE hash > $after ORDER BY hash LIMIT $chunk";

    private readonly string _readerConnectionString;
    private readonly Lock _gate;
    private readonly Func<IEnumerable<ContentHash>> _pendingHashes;
    private readonly long _minCapacity;
    private readonly CancellationTokenSource _stop = new();
    private HashFilter? _ready;
    private HashFilter? _building;
    private bool _buildRunning;
    private Task _scan = Task.CompletedTask;

    /// <param name="readerConnectionString">Where the scan reads the ledger's hashes.</param>
    /// <param name="gate">The owning index's lock, which every caller holds.</param>
    /// <param name="pendingHashes">The pending hashes; called under <paramref name="gate"/>.</param>
    /// <param name="minCapacity">The smallest filter built, in entries.</param>
    public LedgerHashFilter(string readerConnectionString, Lock gate, Func<IEnumerable<ContentHash>> pendingHashes, long minCapacity)
    {
        (_readerConnectionString, _gate, _pendingHashes, _minCapacity) = (readerConnectionString, gate, pendingHashes, minCapacity);
    }

    /// <summary>The filter answering now, or null while the first one is being built.</summary>
    public HashFilter? Ready => _ready;

    /// <summary>Completes when the build running now (if any) has finished; for tests and shutdown.</summary>
    public Task Scan => _scan;

    /// <summary>Starts building the first filter in the background.</summary>
    public void Start() => StartBuild(capacity: null);

    /// <summary>True when no assertion with this hash is in the ledger (pending ones are the caller's to check).</summary>
    public bool CertainlyAbsent(ContentHash hash) => _ready is { } filter && !filter.MightContain(hash);

    /// <summary>Records a hash on its way to the ledger; starts a larger filter when this one is full.</summary>
    public void Add(ContentHash hash)
    {
        _ready?.Add(hash);
        _building?.Add(hash);
        if (_ready is { } full && !_buildRunning && full.Count > full.Capacity && !_stop.IsCancellationRequested)
            StartBuild(capacity: full.Count);
    }

    // Called under the gate. One build at a time: a second would stop receiving adds when the first
    // finished, and publish a filter with holes.
    private void StartBuild(long? capacity)
    {
        _buildRunning = true;
        _scan = Task.Factory.StartNew(() => Build(capacity), _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Build(long? capacity)
    {
        try
        {
            using var connection = SqliteRuntime.Open(_readerConnectionString);
            // Counted before the filter exists, so twice the count leaves room for what comes meanwhile.
            long size = Math.Max(_minCapacity, 2 * (capacity ?? Count(connection)));
            var filter = new HashFilter(size);
            lock (_gate)
            {
                foreach (var hash in _pendingHashes()) filter.Add(hash);
                _building = filter;
            }
            AddLedgerHashes(connection, filter);
            lock (_gate)
            {
                _ready = filter;
                _building = null;
                _buildRunning = false;
            }
        }
        catch (Exception error) when (error is SqliteException or OperationCanceledException or ObjectDisposedException)
        {
            // No filter (or the old one) means lookups go to SQLite: slower, never wrong. A store
            // closing mid-scan lands here too.
            lock (_gate)
            {
                _building = null;
                _buildRunning = false;
            }
        }
    }

    private static long Count(SqliteConnection connection) =>
        SqliteRuntime.Scalar(connection, "SELECT count(*) FROM assertions") is long count ? count : 0;

    // In chunks by hash, each its own read transaction, so a long scan never holds back a WAL checkpoint.
    private void AddLedgerHashes(SqliteConnection connection, HashFilter filter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ScanSql;
        var after = command.Parameters.Add("$after", SqliteType.Blob);
        command.Parameters.AddWithValue("$chunk", ScanChunk);
        byte[] last = [];
        var buffer = new byte[ContentHash.Size];
        while (true)
        {
            _stop.Token.ThrowIfCancellationRequested();
            after.Value = last;
            int rows = 0;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    reader.GetBytes(0, 0, buffer, 0, buffer.Length);
                    filter.Add(buffer);
                    rows++;
                }
            }
            if (rows < ScanChunk) return;
            last = (byte[])buffer.Clone();
        }
    }

    /// <summary>Stops a running scan and waits for it; call without holding the index's lock.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _scan.Wait();
        }
        catch (AggregateException)
        {
            // Cancelled before it started: nothing to wait for.
        }
        _stop.Dispose();
    }
}

using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The LSN of each vote's target, which <c>votes</c> and <c>current_votes</c> store instead of its hash (schema
/// version 5), for one applying thread: the chunk's own assertions, the targets of recent chunks (votes come back
/// to the same assertions), and the ledger's hash index for the rest, <see cref="MultiRowInsert.RowsPerStatement"/>
/// hashes per statement (<see cref="KeyedRowLookup"/>). Content never changes, so a remembered LSN never goes stale.
/// </summary>
internal sealed class VoteTargets : IDisposable
{
    // About 16 MB of entries; the memory is cleared between chunks, never inside one (see StartChunk).
    private const int Capacity = 200_000;
    private const string Table = "main.assertions";
    private static readonly string[] KeyColumns = ["hash"];

    private readonly Dictionary<ContentHash, long> _known = [];
    private readonly KeyedRowLookup _lookup;

    /// <summary>Prepares the lookups on <paramref name="connection"/> (the writer's, or the check's).</summary>
    public VoteTargets(SqliteConnection connection) => _lookup = new KeyedRowLookup(connection, Table, KeyColumns, "lsn");

    /// <summary>The lookup of one hash and of <see cref="MultiRowInsert.RowsPerStatement"/> hashes in the ledger (exposed so tests can check their plans).</summary>
    public static (string One, string Many) LookupStatements => KeyedRowLookup.Statements(Table, KeyColumns, "lsn");

    /// <summary>Starts a chunk: forgets every target once there are too many, so memory stays bounded and no chunk loses its own.</summary>
    public void StartChunk()
    {
        if (_known.Count >= Capacity) _known.Clear();
    }

    /// <summary>Notes an assertion's LSN (one of the chunk's, or one read from the ledger).</summary>
    public void Known(ContentHash hash, long lsn) => _known[hash] = lsn;

    /// <summary>The LSN of <paramref name="hash"/>, if it was noted or resolved.</summary>
    public bool TryGet(ContentHash hash, out long lsn) => _known.TryGetValue(hash, out lsn);

    /// <summary>The LSN of a target noted or resolved earlier in the chunk; an error when there is none (the write path checks every target).</summary>
    public long LsnOf(ContentHash hash) => _known.TryGetValue(hash, out long lsn)
        ? lsn
        : throw new InvalidOperationException($"A vote is on {hash}, which the store does not hold.");

    /// <summary>Looks up in the ledger those of <paramref name="hashes"/> (distinct) not known yet; ones it does not hold stay unknown.</summary>
    public void Resolve(IReadOnlyList<ContentHash> hashes)
    {
        var unknown = hashes.Where(h => !_known.ContainsKey(h)).ToList();
        foreach (var (position, lsn) in _lookup.Find(unknown.Count, (i, key) => key[0] = ValueCodec.HashToColumn(unknown[i])))
            _known[unknown[position]] = (long)lsn!;
    }

    /// <inheritdoc />
    public void Dispose() => _lookup.Dispose();
}

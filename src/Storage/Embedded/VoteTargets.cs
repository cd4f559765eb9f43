using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The LSN of each vote's target, which <c>votes</c> and <c>current_votes</c> store instead of its hash (schema
/// version 5), for one applying thread: the chunk's own assertions, the targets of recent chunks (votes come back
/// to the same assertions), and the ledger's hash index for the rest, <see cref="MultiRowInsert.RowsPerStatement"/>
/// hashes per statement. Content never changes, so a remembered LSN never goes stale.
/// </summary>
internal sealed class VoteTargets : IDisposable
{
    // About 16 MB of entries; the memory is cleared between chunks, never inside one (see StartChunk).
    private const int Capacity = 200_000;
    private const int Rows = MultiRowInsert.RowsPerStatement;

    private readonly Dictionary<ContentHash, long> _known = [];
    private readonly PreparedSql _one;
    private readonly PreparedSql _many;
    private readonly object?[] _hashes = new object?[Rows];
    private readonly Action<object?[]> _found;

    /// <summary>Prepares the lookups on <paramref name="connection"/> (the writer's, or the check's).</summary>
    public VoteTargets(SqliteConnection connection)
    {
        _one = new PreparedSql(connection, LookupSql(1), "h0");
        _many = new PreparedSql(connection, LookupSql(Rows), [.. Enumerable.Range(0, Rows).Select(i => "h" + i)]);
        _found = row => _known[ContentHash.FromBytes((byte[])row[0]!)] = (long)row[1]!;
    }

    /// <summary>The lookup of <paramref name="count"/> hashes in the ledger (exposed so tests can check its plan).</summary>
    public static string LookupSql(int count) =>
        $"SELECT hash, lsn FROM main.assertions WHERE hash IN ({string.Join(", ", Enumerable.Range(0, count).Select(i => "$h" + i))})";

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
        int whole = unknown.Count - unknown.Count % Rows;
        try
        {
            for (int start = 0; start < whole; start += Rows)
            {
                for (int i = 0; i < Rows; i++) _hashes[i] = ValueCodec.HashToColumn(unknown[start + i]);
                _many.ForEachRow(_hashes, _found);
            }
        }
        finally
        {
            Array.Clear(_hashes);
        }
        for (int i = whole; i < unknown.Count; i++)
        {
            if (_one.Row(ValueCodec.HashToColumn(unknown[i])) is { } row) _known[unknown[i]] = (long)row[1]!;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _one.Dispose();
        _many.Dispose();
    }
}

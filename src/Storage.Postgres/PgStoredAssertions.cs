using Npgsql;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The stored assertions a write names, by hash: each one's LSN and value key. A stored assertion never changes, so
/// what one lookup finds holds for the rest of the write; a hash it does not find may be stored by another writer
/// until the clock is locked, and is looked up again under the lock.
/// </summary>
internal sealed class PgStoredAssertions
{
    private const string Sql = "SELECT hash, lsn, subject, predicate, object_type, object_digest FROM assertions WHERE hash = ANY($1)";

    private readonly Dictionary<ContentHash, (long Lsn, PgValueKey Value)> _found = [];

    /// <summary>The hashes looked up (found or not).</summary>
    public HashSet<ContentHash> Asked { get; } = [];

    /// <summary>Adds the lookup of those of <paramref name="hashes"/> not found yet to <paramref name="batch"/>.</summary>
    public void Add(PgBatch batch, IEnumerable<ContentHash> hashes)
    {
        var missing = hashes.Where(h => !_found.ContainsKey(h)).Distinct().ToList();
        if (missing.Count == 0) return;
        Asked.UnionWith(missing);
        batch.Add(Sql, reader =>
        {
            var value = new PgValueKey(new SetKey(PgText.FromColumn(reader.GetFieldValue<byte[]>(2)), PgText.FromColumn(reader.GetFieldValue<byte[]>(3))),
                reader.GetInt16(4), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(5)));
            _found[ContentHash.FromBytes(reader.GetFieldValue<byte[]>(0))] = (reader.GetInt64(1), value);
        }, BytesArray([.. missing.Select(h => h.Bytes.ToArray())]));
    }

    /// <summary>The LSN of a stored assertion, or null when it was not found.</summary>
    public long? LsnOf(ContentHash hash) => _found.TryGetValue(hash, out var row) ? row.Lsn : null;

    /// <summary>Every stored assertion found, with its value key.</summary>
    public IEnumerable<(ContentHash Hash, PgValueKey Value)> Values => _found.Select(f => (f.Key, f.Value.Value));
}

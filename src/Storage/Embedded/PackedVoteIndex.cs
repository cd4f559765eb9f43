using System.Globalization;
using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Writes the packed indexes of votes (schema version 7; offsets since version 8): per ingest chunk, one
/// <c>vote_targets</c> row per target and one <c>vote_agents</c> row per agent, each listing the LSNs of that key's votes
/// in the chunk in ascending order as a JSON array of offsets from the row's first LSN (so it starts with 0; reads
/// expand it with <c>json_each</c>). Offsets are a chunk's width at most, where LSNs grow without bound: two to five
/// digits per vote in place of nine or ten, a seventh of <c>store.db</c>'s bytes per vote (pages written, checksummed in
/// the WAL and checkpointed). Votes are added in LSN order; the rows are written at
/// <see cref="Flush"/>, inside the transaction of the chunk's vote rows, so a replay from the ingest watermark writes
/// them exactly once. A key with more than <see cref="MaxLsnsPerRow"/> votes in a chunk gets one row per that many.
/// </summary>
internal sealed class PackedVoteIndex : IDisposable
{
    /// <summary>
    /// The most LSNs in one row: a limited read of a key expands one row at least, so a busy agent's newest vote
    /// must not cost expanding a whole chunk's worth of its LSNs.
    /// </summary>
    public const int MaxLsnsPerRow = 64;

    /// <summary>The columns of both tables, in bind order (the key column first).</summary>
    private static readonly string[] TargetColumns = ["assertion_lsn", "first_lsn", "lsns"];
    private static readonly string[] AgentColumns = ["agent", "first_lsn", "lsns"];

    private readonly KeyedLsns<long> _targets;
    private readonly KeyedLsns<string> _agents;

    /// <summary>Prepares the inserts on <paramref name="connection"/> (the writer's).</summary>
    public PackedVoteIndex(SqliteConnection connection)
    {
        _targets = new KeyedLsns<long>(new TypedRowInsert<PackedLsnsRow>(connection, "vote_targets", TargetColumns));
        _agents = new KeyedLsns<string>(new TypedRowInsert<PackedLsnsRow>(connection, "vote_agents", AgentColumns));
    }

    /// <summary>Notes the vote at <paramref name="lsn"/> (above every LSN noted before) on <paramref name="targetLsn"/> by <paramref name="agent"/>.</summary>
    public void Add(long targetLsn, string agent, long lsn)
    {
        _targets.Add(targetLsn, lsn);
        _agents.Add(agent, lsn);
    }

    /// <summary>Writes a row per key noted since the last flush; before the transaction commits.</summary>
    public void Flush()
    {
        _targets.Flush();
        _agents.Flush();
    }

    /// <summary>Drops what was noted (the transaction rolls back).</summary>
    public void Discard()
    {
        _targets.Discard();
        _agents.Discard();
    }

    /// <summary>
    /// A rebuild's chunk: the votes of one bin of 2^16 = 65,536 LSNs (the ingestor's chunks, up to about 49,000 events,
    /// are not recorded anywhere). Bins of 4,096 gave rows of about four LSNs on 1,000 targets, twelve times as many rows
    /// as the ingestor writes, and a slower upgrade and check; a key with more votes in a bin still gets rows of
    /// <see cref="MaxLsnsPerRow"/>.
    /// </summary>
    internal const int RebuildBinBits = 16;

    /// <summary>
    /// Fills both (empty) tables from <c>votes</c>, in bins of LSNs (<see cref="RebuildBinBits"/>) in place of ingest
    /// chunks: the migrations from versions 6 and 7 and the integrity check's repair. Runs in the caller's transaction
    /// (<paramref name="transaction"/>, if the connection has one open).
    /// </summary>
    public static long Rebuild(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellation = default)
    {
        using var packed = new PackedVoteIndex(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT lsn, assertion_lsn, agent FROM main.votes ORDER BY lsn";
        using var reader = command.ExecuteReader();
        long votes = 0, bin = -1;
        while (reader.Read())
        {
            long lsn = reader.GetInt64(0);
            if (lsn >> RebuildBinBits != bin)
            {
                cancellation.ThrowIfCancellationRequested();
                packed.Flush();
                bin = lsn >> RebuildBinBits;
            }
            packed.Add(reader.GetInt64(1), reader.GetString(2), lsn);
            votes++;
        }
        packed.Flush();
        return votes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _targets.Dispose();
        _agents.Dispose();
    }

    /// <summary>The LSNs noted per key of one table, and its insert.</summary>
    private sealed class KeyedLsns<TKey>(TypedRowInsert<PackedLsnsRow> insert) : IDisposable where TKey : notnull
    {
        private readonly Dictionary<TKey, List<long>> _lists = [];
        private readonly Stack<List<long>> _spare = new();
        private char[] _text = new char[256];

        public void Add(TKey key, long lsn)
        {
            if (!_lists.TryGetValue(key, out var lsns))
            {
                lsns = _spare.Count > 0 ? _spare.Pop() : new List<long>();
                _lists.Add(key, lsns);
            }
            lsns.Add(lsn);
            if (lsns.Count < MaxLsnsPerRow) return;
            Write(key, lsns);
            lsns.Clear();
        }

        public void Flush()
        {
            foreach (var (key, lsns) in _lists)
                if (lsns.Count > 0) Write(key, lsns);
            insert.Flush();
            Forget();
        }

        public void Discard()
        {
            insert.Discard();
            Forget();
        }

        public void Dispose() => insert.Dispose();

        // The lists go back to the spares, so a chunk allocates none once the keys of earlier chunks were seen.
        private void Forget()
        {
            foreach (var lsns in _lists.Values)
            {
                lsns.Clear();
                _spare.Push(lsns);
            }
            _lists.Clear();
        }

        private void Write(TKey key, List<long> lsns) => insert.Add(new PackedLsnsRow(key, lsns[0], Json(lsns)));

        // "[0,3,17]" for LSNs 100, 103 and 117: offsets from the first, digits and commas only, formatted invariantly.
        private string Json(List<long> lsns)
        {
            int length = 0;
            Append('[', ref length);
            for (int i = 0; i < lsns.Count; i++)
            {
                if (i > 0) Append(',', ref length);
                int written;
                while (!(lsns[i] - lsns[0]).TryFormat(_text.AsSpan(length), out written, default, CultureInfo.InvariantCulture)) Grow();
                length += written;
            }
            Append(']', ref length);
            return new string(_text, 0, length);
        }

        private void Append(char c, ref int length)
        {
            if (length == _text.Length) Grow();
            _text[length++] = c;
        }

        private void Grow() => Array.Resize(ref _text, _text.Length * 2);
    }
}

/// <summary>A packed index row: the key (target LSN or agent), the first LSN listed, and the JSON array of offsets from it.</summary>
internal readonly record struct PackedLsnsRow(object Key, long FirstLsn, string Lsns) : IBoundRow
{
    /// <inheritdoc />
    public void BindTo(PreparedSql statement, int firstSlot)
    {
        // A name binds as the votes row binds its agent, so the two compare equal.
        if (Key is string agent) statement.Bind(firstSlot, agent);
        else statement.Bind(firstSlot, (long)Key);
        statement.Bind(firstSlot + 1, FirstLsn);
        statement.Bind(firstSlot + 2, Lsns);
    }
}

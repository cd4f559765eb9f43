using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The ports of Core's <see cref="ViewFold{TValue}"/> for one write, buffered: <c>Prefetch</c> reads every
/// row the fold will touch in one set-based query per table (a set's row and its lens states in one), all in one
/// batch (a write sends it with the clock lock), the fold then reads and updates them in memory, and <c>WriteBack</c>
/// writes the changed rows back through <see cref="PgViewWriteBack"/> (the ones found absent appended, the stored ones
/// upserted), again in one batch (a write's, with its ledger rows, the clock and the commit).
/// A write costs two round trips whatever its size, instead of several per value and set. A row the
/// prefetch did not foresee is read on demand. The rules stay in <see cref="ViewFold{TValue}"/>; this class only moves rows.
/// </summary>
internal sealed class PgFoldBuffer(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> lenses)
    : ISupportStore<PgValueKey>, ILensStateStore
{
    private readonly Dictionary<ContentHash, PgValueKey?> _valueOf = [];
    private readonly Dictionary<(ContentHash Assertion, string Agent), long> _votes = [];
    private readonly Dictionary<(ContentHash Assertion, string Agent), (long Units, long Lsn)> _votesChanged = [];
    private readonly Dictionary<PgValueKey, ValueTally?> _values = [];
    private readonly HashSet<PgValueKey> _valuesChanged = [];
    private readonly Dictionary<SetKey, SetRow?> _sets = [];
    private readonly HashSet<SetKey> _setsChanged = [];
    private readonly Dictionary<(string Lens, SetKey Set), LensState?> _states = [];
    private readonly HashSet<(string Lens, SetKey Set)> _statesChanged = [];
    // Rows read and found absent (so new if written): appended, not upserted (PgViewWriteBack). A row written
    // without being read (a lens build's seed) is in none of these and is upserted.
    private readonly HashSet<(ContentHash Assertion, string Agent)> _absentVotes = [];
    private readonly HashSet<PgValueKey> _absentValues = [];
    private readonly HashSet<SetKey> _absentSets = [];
    private List<PgValueKey> _valuesAfterSets = [];

    /// <summary>Reads the rows a fold of these assertions (their value keys) and votes will touch: two round trips.</summary>
    public void Prefetch(IEnumerable<(ContentHash Hash, PgValueKey Value)> assertions, IEnumerable<(ContentHash Assertion, string Agent)> votes)
    {
        var asserted = assertions.ToList();
        var pairs = votes.Distinct().ToList();
        foreach (var (hash, value) in asserted) _valueOf[hash] = value;
        FetchValueOf([.. pairs.Select(p => p.Assertion).Where(h => !_valueOf.ContainsKey(h)).Distinct()]);
        Now(batch => Prefetch(batch, asserted, pairs));
        FinishPrefetch();
    }

    /// <summary>
    /// Adds the reads of the rows a fold of these assertions and votes will touch to <paramref name="batch"/>, to be read
    /// when it runs. A vote's target must be one of the assertions or <see cref="Know">known</see>; the rows of any other
    /// are read on demand.
    /// </summary>
    public void Prefetch(PgBatch batch, IEnumerable<(ContentHash Hash, PgValueKey Value)> assertions, IEnumerable<(ContentHash Assertion, string Agent)> votes)
    {
        var values = new HashSet<PgValueKey>();
        foreach (var (hash, value) in assertions)
        {
            _valueOf[hash] = value;
            values.Add(value);
        }
        var pairs = votes.Distinct().ToList();
        foreach (var (assertion, _) in pairs)
            if (_valueOf.GetValueOrDefault(assertion) is { } value) values.Add(value);
        AddVotes(batch, pairs);
        AddSets(batch, [.. values.Select(v => v.Set).Distinct()]);
        // A bulk-sized write (mostly new sets, whose values need no query) reads values after the sets: see FinishPrefetch.
        if (values.Count >= PgLedgerInsert.CopyThreshold) _valuesAfterSets = [.. values];
        else AddValues(batch, [.. values]);
    }

    /// <summary>
    /// After the prefetch's batch ran: the values of a bulk-sized write, read only for the sets found stored (a value is
    /// stored only with its set, so those of a new set are new), one more round trip for a write that big.
    /// </summary>
    public void FinishPrefetch()
    {
        if (_valuesAfterSets.Count == 0) return;
        var values = _valuesAfterSets;
        _valuesAfterSets = [];
        Now(batch => AddValues(batch, [.. values.Where(v => _sets[v.Set] is not null)]));
        foreach (var value in values)
            if (_sets[value.Set] is null && _values.TryAdd(value, null)) _absentValues.Add(value);
    }

    /// <summary>Tells the buffer a stored assertion's value key (read by the caller), so the prefetch reads its rows.</summary>
    public void Know(ContentHash assertion, PgValueKey value) => _valueOf[assertion] = value;

    /// <inheritdoc />
    public PgValueKey? ValueOf(ContentHash assertion)
    {
        if (!_valueOf.ContainsKey(assertion)) FetchValueOf([assertion]);
        return _valueOf[assertion];
    }

    /// <inheritdoc />
    public long ReplaceVote(ContentHash assertion, string agent, long units, long lsn)
    {
        var key = (assertion, agent);
        if (!_votes.TryGetValue(key, out long previous)) Now(batch => AddVotes(batch, [key]));
        previous = _votes[key];
        _votes[key] = units;
        _votesChanged[key] = (units, lsn);
        return previous;
    }

    /// <inheritdoc />
    public ValueChange AddToValue(PgValueKey value, long delta, long firstLsn)
    {
        if (!_values.ContainsKey(value)) Now(batch => AddValues(batch, [value]));
        _valuesChanged.Add(value);
        if (_values[value] is { } stored)
        {
            _values[value] = stored with { SupportUnits = stored.SupportUnits + delta };
            return new ValueChange(stored.FirstLsn, stored.SupportUnits, stored.SupportUnits + delta, IsNew: false);
        }
        if (firstLsn == 0) throw new InvalidOperationException($"A vote moves a value of ({value.Set.Subject}, {value.Set.Predicate}) that the views do not hold.");
        _values[value] = new ValueTally(firstLsn, delta);
        return new ValueChange(firstLsn, 0, delta, IsNew: true);
    }

    /// <inheritdoc />
    public bool AddToSet(SetKey set, long totalDelta, int newValues, int newAssertions)
    {
        if (!_sets.ContainsKey(set)) Now(batch => AddSets(batch, [set]));
        var before = _sets[set] ?? new SetRow(0, 0, 0);
        _sets[set] = new SetRow(before.Total + totalDelta, before.Candidates + newValues, before.Assertions + newAssertions);
        _setsChanged.Add(set);
        // A set is made by its first assertions.
        return before.Assertions == 0 && newAssertions > 0;
    }

    /// <inheritdoc />
    public IReadOnlyList<ValueTally> Of(SetKey set)
    {
        // The stored values of the set, with the buffered ones (changed or new) in place of theirs.
        var stored = new Dictionary<(short, ContentHash), ValueTally>();
        BeforeRead?.Invoke();
        using (var command = Create(connection, transaction,
            "SELECT object_type, object_digest, first_lsn, support_units FROM mv_value WHERE subject = $1 AND predicate = $2",
            Bytes(PgText.Key(set.Subject)), Bytes(PgText.Key(set.Predicate))))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                stored[(reader.GetInt16(0), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(1)))] = new ValueTally(reader.GetInt64(2), reader.GetInt64(3));
        }
        foreach (var (value, tally) in _values)
            if (value.Set == set && tally is { } buffered) stored[(value.ObjectType, value.Digest)] = buffered;
        return [.. stored.Values];
    }

    /// <inheritdoc />
    public LensState? Read(string lens, SetKey set)
    {
        if (!_states.ContainsKey((lens, set))) Now(batch => AddStates(batch, [set], [lens]));
        return _states[(lens, set)];
    }

    /// <inheritdoc />
    public void Write(string lens, SetKey set, LensState state)
    {
        _states[(lens, set)] = state;
        _statesChanged.Add((lens, set));
    }

    /// <summary>Writes every changed row back: new rows (absent when read) and stored ones, one statement each per table, in one round trip.</summary>
    public void WriteBack() => Now(WriteBack);

    /// <summary>Adds the write-back of every changed row to <paramref name="batch"/> (large appends of new rows are copied at once).</summary>
    public void WriteBack(PgBatch batch)
    {
        Split(_votesChanged, v => _absentVotes.Contains(v.Key), v => (v.Key.Assertion, v.Key.Agent, v.Value.Units, v.Value.Lsn),
            (rows, areNew) => PgViewWriteBack.Votes(connection, batch, rows, areNew));
        Split(_valuesChanged, _absentValues.Contains, v => (Key: v, Tally: _values[v]!.Value),
            (rows, areNew) => PgViewWriteBack.Values(connection, batch, rows, areNew));
        Split(_setsChanged, _absentSets.Contains, s => (s, _sets[s]!.Total, _sets[s]!.Candidates, _sets[s]!.Assertions),
            (rows, areNew) => PgViewWriteBack.Sets(connection, batch, rows, areNew));
        // The lens states go with their view rows, one mv_winner row per lens and set.
        WriteWinners(batch);
        // Written: none of them is absent any more, should this buffer write back again.
        _absentVotes.Clear();
        _absentValues.Clear();
        _absentSets.Clear();
    }

    /// <summary>Called before the buffer reads from the connection on demand (a write ends its open ledger COPY there); none by default.</summary>
    public Action? BeforeRead { get; set; }

    // The changed rows as written, those found absent (appended) apart from the stored ones (upserted).
    private static void Split<TChanged, TRow>(IEnumerable<TChanged> changed, Func<TChanged, bool> isAbsent, Func<TChanged, TRow> row,
        Action<List<TRow>, bool> write)
    {
        var fresh = new List<TRow>();
        var stored = new List<TRow>();
        foreach (var item in changed) (isAbsent(item) ? fresh : stored).Add(row(item));
        write(fresh, true);
        write(stored, false);
    }

    /// <summary>The assertions the write being folded appends (their winner rows are built from them); none by default.</summary>
    public PgAssertionColumns NewAssertions { get; set; } = PgAssertionColumns.None;

    // The mv_winner rows (state and view row) of every set the fold touched: appended for the sets new in this write
    // (from a COPY-sized number of rows), upserted for the others.
    private void WriteWinners(PgBatch batch)
    {
        var touched = _setsChanged.Concat(_statesChanged.Select(k => k.Set)).Concat(_valuesChanged.Select(v => v.Set)).Distinct().ToList();
        HoldWhole(touched);
        var built = new List<PgWinners.Built>();
        var upserted = new List<SetKey>();
        foreach (var set in touched)
        {
            if (!_absentSets.Contains(set) || !TryBuildWinners(set, built)) upserted.Add(set);
        }
        if (built.Count >= PgLedgerInsert.CopyThreshold) PgWinners.Append(connection, NewAssertions, built);
        else upserted = touched;
        var held = new List<PgWinners.Held>();
        foreach (var set in upserted)
        {
            if (_sets[set] is not { } setRow) continue; // no set, no view row (nor state)
            foreach (var lens in lenses)
                if (_states[(lens, set)] is { } state) held.Add(new PgWinners.Held(lens, set, state, setRow.Total, setRow.Candidates));
        }
        PgWinners.Upsert(batch, held);
    }

    // A set's row and every lens state of it are read with the set (prefetch or on demand); a set touched without that
    // (a lens build's seed writes states only) is read now, so its rows can be written whole: one round trip.
    private void HoldWhole(List<SetKey> touched)
    {
        var unread = touched.Where(set => !_sets.ContainsKey(set)).ToList();
        if (unread.Count > 0) Now(batch => AddSets(batch, unread));
    }

    private bool TryBuildWinners(SetKey set, List<PgWinners.Built> rows)
    {
        if (_sets[set] is not { } setRow) return false;
        int start = rows.Count;
        foreach (var lens in lenses)
        {
            var state = _states.GetValueOrDefault((lens, set));
            int row = state is not null ? NewAssertions.IndexOf(state.WinnerLsn) : -1;
            if (row < 0 || _values.GetValueOrDefault(NewAssertions.Keys[row]) is not { } tally)
            {
                rows.RemoveRange(start, rows.Count - start);
                return false;
            }
            rows.Add(new PgWinners.Built(lens, row, state!, tally.SupportUnits, setRow.Total, setRow.Candidates));
        }
        return true;
    }

    private void FetchValueOf(IReadOnlyList<ContentHash> hashes)
    {
        if (hashes.Count == 0) return;
        foreach (var hash in hashes) _valueOf[hash] = null;
        BeforeRead?.Invoke();
        using var command = Create(connection, transaction, """
            SELECT k.i, a.subject, a.predicate, a.object_type, a.object_digest
            FROM unnest($1::bytea[], $2::int[]) AS k(h, i) JOIN assertions a ON a.hash = k.h
            """, BytesArray([.. hashes.Select(h => h.Bytes.ToArray())]), Ordinals(hashes.Count));
        using var reader = command.ExecuteReader();
        while (reader.Read())
            _valueOf[hashes[reader.GetInt32(0)]] = new PgValueKey(
                new SetKey(PgText.FromColumn(reader.GetFieldValue<byte[]>(1)), PgText.FromColumn(reader.GetFieldValue<byte[]>(2))),
                reader.GetInt16(3), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(4)));
    }

    private void AddVotes(PgBatch batch, IReadOnlyList<(ContentHash Assertion, string Agent)> pairs)
    {
        if (pairs.Count == 0) return;
        foreach (var pair in pairs)
        {
            _votes[pair] = 0;
            _absentVotes.Add(pair);
        }
        batch.Add("""
            SELECT k.i, c.weight_units FROM unnest($1::bytea[], $2::bytea[], $3::int[]) AS k(a, g, i)
            JOIN current_votes c ON c.assertion = k.a AND c.agent = k.g
            """, reader =>
            {
                var pair = pairs[reader.GetInt32(0)];
                _votes[pair] = reader.GetInt64(1);
                _absentVotes.Remove(pair);
            }, BytesArray([.. pairs.Select(p => p.Assertion.Bytes.ToArray())]), BytesArray([.. pairs.Select(p => PgText.ToColumn(p.Agent))]), Ordinals(pairs.Count));
    }

    private void AddValues(PgBatch batch, IReadOnlyList<PgValueKey> values)
    {
        if (values.Count == 0) return;
        foreach (var value in values)
        {
            _values[value] = null;
            _absentValues.Add(value);
        }
        batch.Add("""
            SELECT k.i, m.first_lsn, m.support_units FROM unnest($1::bytea[], $2::bytea[], $3::smallint[], $4::bytea[], $5::int[]) AS k(s, p, t, d, i)
            JOIN mv_value m ON m.subject = k.s AND m.predicate = k.p AND m.object_type = k.t AND m.object_digest = k.d
            """, reader =>
            {
                var value = values[reader.GetInt32(0)];
                _values[value] = new ValueTally(reader.GetInt64(1), reader.GetInt64(2));
                _absentValues.Remove(value);
            }, BytesArray([.. values.Select(v => PgText.Key(v.Set.Subject))]), BytesArray([.. values.Select(v => PgText.Key(v.Set.Predicate))]),
            (NpgsqlDbType.Array | NpgsqlDbType.Smallint, values.Select(v => v.ObjectType).ToArray()),
            BytesArray([.. values.Select(v => v.Digest.Bytes.ToArray())]), Ordinals(values.Count));
    }

    // A set's row and its lens states are read together, in one statement: a fold that moves a set reads its states next.
    // Each lens is joined as a value, not as lens = ANY(...): each partition holds one lens, and ANY searched every
    // partition's key once per lens named.
    private void AddSets(PgBatch batch, IReadOnlyList<SetKey> sets)
    {
        if (sets.Count == 0) return;
        foreach (var set in sets)
        {
            _sets[set] = null;
            _absentSets.Add(set);
            foreach (var lens in lenses)
                if (!_states.ContainsKey((lens, set))) Absent(lens, set);
        }
        batch.Add("""
            SELECT k.i, m.total_units, m.candidates, m.assertion_count, l.lens, l.lsn, l.tally, l.data
            FROM unnest($1::bytea[], $2::bytea[], $3::int[]) AS k(s, p, i)
            JOIN mv_set m ON m.subject = k.s AND m.predicate = k.p
            LEFT JOIN LATERAL (SELECT l.lens, l.lsn, l.tally, l.data FROM unnest($4::text[]) AS n(lens)
                JOIN mv_winner l ON l.lens = n.lens AND l.subject_key = k.s AND l.predicate_key = k.p) l ON true
            """, reader =>
            {
                var set = sets[reader.GetInt32(0)];
                _sets[set] = new SetRow(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                _absentSets.Remove(set);
                if (!reader.IsDBNull(4)) Found(reader, 4, set);
            }, SetKeys(sets, out var predicates), predicates, Ordinals(sets.Count), (NpgsqlDbType.Array | NpgsqlDbType.Text, lenses.ToArray()));
    }

    private void AddStates(PgBatch batch, IReadOnlyList<SetKey> sets, IReadOnlyList<string> names)
    {
        foreach (var set in sets)
            foreach (var lens in names) Absent(lens, set);
        batch.Add("""
            SELECT k.i, l.lens, l.lsn, l.tally, l.data FROM unnest($1::bytea[], $2::bytea[], $3::int[]) AS k(s, p, i)
            CROSS JOIN unnest($4::text[]) AS n(lens)
            JOIN mv_winner l ON l.lens = n.lens AND l.subject_key = k.s AND l.predicate_key = k.p
            """, reader => Found(reader, 1, sets[reader.GetInt32(0)]),
            SetKeys(sets, out var predicates), predicates, Ordinals(sets.Count), (NpgsqlDbType.Array | NpgsqlDbType.Text, names.ToArray()));
    }

    // A read the prefetch did not foresee (or a caller without a batch of its own): one round trip now.
    private void Now(Action<PgBatch> add)
    {
        var batch = new PgBatch(connection, transaction);
        add(batch);
        if (batch.Count > 0) BeforeRead?.Invoke();
        batch.Execute();
    }

    private void Absent(string lens, SetKey set) => _states[(lens, set)] = null;

    // A lens state in the columns lens, lsn (the winner's), tally, data of mv_winner, from ordinal first.
    private void Found(NpgsqlDataReader reader, int first, SetKey set)
    {
        var key = (reader.GetString(first), set);
        if (_statesChanged.Contains(key)) return; // the fold's own state is newer than the stored one
        _states[key] = new LensState(reader.GetInt64(first + 1), reader.GetInt64(first + 2), reader.IsDBNull(first + 3) ? null : reader.GetFieldValue<byte[]>(first + 3));
    }

    private static (NpgsqlDbType, object?) SetKeys(IReadOnlyList<SetKey> sets, out (NpgsqlDbType, object?) predicates)
    {
        predicates = BytesArray([.. sets.Select(s => PgText.Key(s.Predicate))]);
        return BytesArray([.. sets.Select(s => PgText.Key(s.Subject))]);
    }

    private static (NpgsqlDbType, object?) Ordinals(int count) => (NpgsqlDbType.Array | NpgsqlDbType.Integer, Enumerable.Range(0, count).ToArray());

    private sealed record SetRow(long Total, long Candidates, long Assertions);
}

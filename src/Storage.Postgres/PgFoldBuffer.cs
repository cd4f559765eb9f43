using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The ports of Core's <see cref="ViewFold{TValue}"/> for one write, buffered: <see cref="Prefetch"/> reads every
/// row the fold will touch in one set-based query per table, the fold then reads and updates them in memory, and
/// <see cref="WriteBack"/> upserts the changed rows in one statement per table. A write costs a handful of round
/// trips whatever its size, instead of several per value and set. A row the prefetch did not foresee is read
/// on demand. The rules stay in <see cref="ViewFold{TValue}"/>; this class only moves rows.
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

    /// <summary>Reads the rows a fold of these assertions (their value keys) and votes will touch.</summary>
    public void Prefetch(IEnumerable<(ContentHash Hash, PgValueKey Value)> assertions, IEnumerable<(ContentHash Assertion, string Agent)> votes)
    {
        var values = new HashSet<PgValueKey>();
        foreach (var (hash, value) in assertions)
        {
            _valueOf[hash] = value;
            values.Add(value);
        }
        var pairs = votes.Distinct().ToList();
        FetchValueOf([.. pairs.Select(p => p.Assertion).Where(h => !_valueOf.ContainsKey(h)).Distinct()]);
        foreach (var (assertion, _) in pairs)
            if (_valueOf.GetValueOrDefault(assertion) is { } value) values.Add(value);
        FetchVotes(pairs);
        FetchValues([.. values]);
        FetchSets([.. values.Select(v => v.Set).Distinct()]);
    }

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
        if (!_votes.TryGetValue(key, out long previous)) FetchVotes([key]);
        previous = _votes[key];
        _votes[key] = units;
        _votesChanged[key] = (units, lsn);
        return previous;
    }

    /// <inheritdoc />
    public ValueChange AddToValue(PgValueKey value, long delta, long firstLsn)
    {
        if (!_values.ContainsKey(value)) FetchValues([value]);
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
        if (!_sets.ContainsKey(set)) FetchSets([set]);
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
        if (!_states.ContainsKey((lens, set))) FetchStates([set], [lens]);
        return _states[(lens, set)];
    }

    /// <inheritdoc />
    public void Write(string lens, SetKey set, LensState state)
    {
        _states[(lens, set)] = state;
        _statesChanged.Add((lens, set));
    }

    /// <summary>Upserts every changed row: one statement per table.</summary>
    public void WriteBack()
    {
        if (_votesChanged.Count > 0)
        {
            var votes = _votesChanged.ToList();
            Execute("""
                INSERT INTO current_votes(assertion, agent, weight_units, lsn) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bigint[], $4::bigint[])
                ON CONFLICT (assertion, agent) DO UPDATE SET weight_units = excluded.weight_units, lsn = excluded.lsn
                """, BytesArray([.. votes.Select(v => v.Key.Assertion.Bytes.ToArray())]), BytesArray([.. votes.Select(v => PgText.ToColumn(v.Key.Agent))]),
                Longs(votes.Select(v => v.Value.Units)), Longs(votes.Select(v => v.Value.Lsn)));
        }
        if (_valuesChanged.Count > 0)
        {
            var values = _valuesChanged.Select(v => (Key: v, Tally: _values[v]!.Value)).ToList();
            Execute("""
                INSERT INTO mv_value(subject, predicate, object_type, object_digest, support_units, first_lsn)
                SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::smallint[], $4::bytea[], $5::bigint[], $6::bigint[])
                ON CONFLICT (subject, predicate, object_type, object_digest) DO UPDATE SET support_units = excluded.support_units
                """, BytesArray([.. values.Select(v => PgText.Key(v.Key.Set.Subject))]), BytesArray([.. values.Select(v => PgText.Key(v.Key.Set.Predicate))]),
                (NpgsqlDbType.Array | NpgsqlDbType.Smallint, values.Select(v => v.Key.ObjectType).ToArray()),
                BytesArray([.. values.Select(v => v.Key.Digest.Bytes.ToArray())]), Longs(values.Select(v => v.Tally.SupportUnits)), Longs(values.Select(v => v.Tally.FirstLsn)));
        }
        if (_setsChanged.Count > 0)
        {
            var sets = _setsChanged.Select(s => (Key: s, Row: _sets[s]!)).ToList();
            Execute("""
                INSERT INTO mv_set(subject, predicate, total_units, candidates, assertion_count)
                SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bigint[], $4::bigint[], $5::bigint[])
                ON CONFLICT (subject, predicate) DO UPDATE SET
                    total_units = excluded.total_units, candidates = excluded.candidates, assertion_count = excluded.assertion_count
                """, BytesArray([.. sets.Select(s => PgText.Key(s.Key.Subject))]), BytesArray([.. sets.Select(s => PgText.Key(s.Key.Predicate))]),
                Longs(sets.Select(s => s.Row.Total)), Longs(sets.Select(s => s.Row.Candidates)), Longs(sets.Select(s => s.Row.Assertions)));
        }
        if (_statesChanged.Count > 0)
        {
            var states = _statesChanged.Select(k => (k.Lens, k.Set, State: _states[k]!)).ToList();
            Execute("""
                INSERT INTO lens_state(lens, subject, predicate, winner_lsn, tally, data)
                SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bigint[], $5::bigint[], $6::bytea[])
                ON CONFLICT (lens, subject, predicate) DO UPDATE SET winner_lsn = excluded.winner_lsn, tally = excluded.tally, data = excluded.data
                """, (NpgsqlDbType.Array | NpgsqlDbType.Text, states.Select(s => s.Lens).ToArray()),
                BytesArray([.. states.Select(s => PgText.Key(s.Set.Subject))]), BytesArray([.. states.Select(s => PgText.Key(s.Set.Predicate))]),
                Longs(states.Select(s => s.State.WinnerLsn)), Longs(states.Select(s => s.State.Tally)),
                (NpgsqlDbType.Array | NpgsqlDbType.Bytea, states.Select(s => s.State.Data).ToArray()));
        }
    }

    private void FetchValueOf(IReadOnlyList<ContentHash> hashes)
    {
        if (hashes.Count == 0) return;
        foreach (var hash in hashes) _valueOf[hash] = null;
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

    private void FetchVotes(IReadOnlyList<(ContentHash Assertion, string Agent)> pairs)
    {
        if (pairs.Count == 0) return;
        foreach (var pair in pairs) _votes[pair] = 0;
        using var command = Create(connection, transaction, """
            SELECT k.i, c.weight_units FROM unnest($1::bytea[], $2::bytea[], $3::int[]) AS k(a, g, i)
            JOIN current_votes c ON c.assertion = k.a AND c.agent = k.g
            """, BytesArray([.. pairs.Select(p => p.Assertion.Bytes.ToArray())]), BytesArray([.. pairs.Select(p => PgText.ToColumn(p.Agent))]), Ordinals(pairs.Count));
        using var reader = command.ExecuteReader();
        while (reader.Read()) _votes[pairs[reader.GetInt32(0)]] = reader.GetInt64(1);
    }

    private void FetchValues(IReadOnlyList<PgValueKey> values)
    {
        if (values.Count == 0) return;
        foreach (var value in values) _values[value] = null;
        using var command = Create(connection, transaction, """
            SELECT k.i, m.first_lsn, m.support_units FROM unnest($1::bytea[], $2::bytea[], $3::smallint[], $4::bytea[], $5::int[]) AS k(s, p, t, d, i)
            JOIN mv_value m ON m.subject = k.s AND m.predicate = k.p AND m.object_type = k.t AND m.object_digest = k.d
            """, BytesArray([.. values.Select(v => PgText.Key(v.Set.Subject))]), BytesArray([.. values.Select(v => PgText.Key(v.Set.Predicate))]),
            (NpgsqlDbType.Array | NpgsqlDbType.Smallint, values.Select(v => v.ObjectType).ToArray()),
            BytesArray([.. values.Select(v => v.Digest.Bytes.ToArray())]), Ordinals(values.Count));
        using var reader = command.ExecuteReader();
        while (reader.Read()) _values[values[reader.GetInt32(0)]] = new ValueTally(reader.GetInt64(1), reader.GetInt64(2));
    }

    // A set's row and its lens states are read together: a fold that moves a set reads its states next.
    private void FetchSets(IReadOnlyList<SetKey> sets)
    {
        if (sets.Count == 0) return;
        foreach (var set in sets) _sets[set] = null;
        using (var command = Create(connection, transaction, """
            SELECT k.i, m.total_units, m.candidates, m.assertion_count FROM unnest($1::bytea[], $2::bytea[], $3::int[]) AS k(s, p, i)
            JOIN mv_set m ON m.subject = k.s AND m.predicate = k.p
            """, SetKeys(sets, out var predicates), predicates, Ordinals(sets.Count)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) _sets[sets[reader.GetInt32(0)]] = new SetRow(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
        FetchStates(sets, lenses);
    }

    private void FetchStates(IReadOnlyList<SetKey> sets, IReadOnlyList<string> names)
    {
        foreach (var set in sets)
            foreach (var lens in names) _states[(lens, set)] = null;
        using var command = Create(connection, transaction, """
            SELECT k.i, l.lens, l.winner_lsn, l.tally, l.data FROM unnest($1::bytea[], $2::bytea[], $3::int[]) AS k(s, p, i)
            JOIN lens_state l ON l.subject = k.s AND l.predicate = k.p WHERE l.lens = ANY($4)
            """, SetKeys(sets, out var predicates), predicates, Ordinals(sets.Count), (NpgsqlDbType.Array | NpgsqlDbType.Text, names.ToArray()));
        using var reader = command.ExecuteReader();
        while (reader.Read())
            _states[(reader.GetString(1), sets[reader.GetInt32(0)])] =
                new LensState(reader.GetInt64(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4));
    }

    private static (NpgsqlDbType, object?) SetKeys(IReadOnlyList<SetKey> sets, out (NpgsqlDbType, object?) predicates)
    {
        predicates = BytesArray([.. sets.Select(s => PgText.Key(s.Predicate))]);
        return BytesArray([.. sets.Select(s => PgText.Key(s.Subject))]);
    }

    private static (NpgsqlDbType, object?) Ordinals(int count) => (NpgsqlDbType.Array | NpgsqlDbType.Integer, Enumerable.Range(0, count).ToArray());

    private static (NpgsqlDbType, object?) Longs(IEnumerable<long> values) => (NpgsqlDbType.Array | NpgsqlDbType.Bigint, values.ToArray());

    private void Execute(string sql, params ReadOnlySpan<(NpgsqlDbType, object?)> parameters)
    {
        using var command = Create(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private sealed record SetRow(long Total, long Candidates, long Assertions);
}

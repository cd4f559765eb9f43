using Npgsql;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The PostgreSQL side of the support port (<see cref="ISupportStore{TValue}"/>): current votes, value
/// tallies and set totals in <c>current_votes</c>, <c>mv_value</c> and <c>mv_set</c>, each step a
/// primary-key read or upsert on the write's own connection and transaction. Sets are keyed by <see cref="PgText.Key"/>. The rules are in Core's
/// <see cref="ViewFold{TValue}"/>. Unqualified names, so TEMP shadow tables (the integrity check) take the writes.
/// </summary>
internal sealed class PgSupportStore(NpgsqlConnection connection, NpgsqlTransaction transaction) : ISupportStore<PgValueKey>
{
    private const string ValueWhere = "subject = $1 AND predicate = $2 AND object_type = $3 AND object_digest = $4";

    /// <inheritdoc />
    public PgValueKey? ValueOf(ContentHash assertion)
    {
        using var command = Create(connection, transaction,
            "SELECT subject, predicate, object_type, object_digest FROM assertions WHERE hash = $1", Bytes(assertion.Bytes.ToArray()));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new PgValueKey(new SetKey(PgText.FromColumn(reader.GetFieldValue<byte[]>(0)), PgText.FromColumn(reader.GetFieldValue<byte[]>(1))),
            reader.GetInt16(2), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(3)));
    }

    /// <inheritdoc />
    public long ReplaceVote(ContentHash assertion, string agent, long units, long lsn)
    {
        // The old row's units come back through a CTE: one round trip for read-and-replace.
        using var command = Create(connection, transaction, """
            WITH old AS (SELECT weight_units FROM current_votes WHERE assertion = $1 AND agent = $2),
                 put AS (INSERT INTO current_votes(assertion, agent, weight_units, lsn) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (assertion, agent) DO UPDATE SET weight_units = excluded.weight_units, lsn = excluded.lsn)
            SELECT weight_units FROM old
            """, Bytes(assertion.Bytes.ToArray()), Bytes(PgText.ToColumn(agent)), Long(units), Long(lsn));
        return command.ExecuteScalar() is long previous ? previous : 0;
    }

    /// <inheritdoc />
    public ValueChange AddToValue(PgValueKey value, long delta, long firstLsn)
    {
        var key = KeyParameters(value);
        using (var update = Create(connection, transaction,
            $"UPDATE mv_value SET support_units = support_units + $5 WHERE {ValueWhere} RETURNING support_units, first_lsn",
            key[0], key[1], key[2], key[3], Long(delta)))
        using (var reader = update.ExecuteReader())
        {
            if (reader.Read())
            {
                long after = reader.GetInt64(0);
                return new ValueChange(reader.GetInt64(1), after - delta, after, IsNew: false);
            }
        }
        if (firstLsn == 0) throw new InvalidOperationException($"A vote moves a value of ({value.Set.Subject}, {value.Set.Predicate}) that the views do not hold.");
        using var insert = Create(connection, transaction,
            "INSERT INTO mv_value(subject, predicate, object_type, object_digest, support_units, first_lsn) VALUES ($1, $2, $3, $4, $5, $6)",
            key[0], key[1], key[2], key[3], Long(delta), Long(firstLsn));
        insert.ExecuteNonQuery();
        return new ValueChange(firstLsn, 0, delta, IsNew: true);
    }

    /// <inheritdoc />
    public bool AddToSet(SetKey set, long totalDelta, int newValues, int newAssertions)
    {
        using var command = Create(connection, transaction, """
            INSERT INTO mv_set(subject, predicate, total_units, candidates, assertion_count) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (subject, predicate) DO UPDATE SET
                total_units = mv_set.total_units + excluded.total_units,
                candidates = mv_set.candidates + excluded.candidates,
                assertion_count = mv_set.assertion_count + excluded.assertion_count
            RETURNING assertion_count
            """, Bytes(PgText.Key(set.Subject)), Bytes(PgText.Key(set.Predicate)), Long(totalDelta), Long(newValues), Long(newAssertions));
        // A set is made by its first assertions: when the count is what this call added, it was created now.
        return command.ExecuteScalar() is long count && count == newAssertions && newAssertions > 0;
    }

    /// <inheritdoc />
    public IReadOnlyList<ValueTally> Of(SetKey set)
    {
        using var command = Create(connection, transaction,
            "SELECT first_lsn, support_units FROM mv_value WHERE subject = $1 AND predicate = $2",
            Bytes(PgText.Key(set.Subject)), Bytes(PgText.Key(set.Predicate)));
        using var reader = command.ExecuteReader();
        var values = new List<ValueTally>();
        while (reader.Read()) values.Add(new ValueTally(reader.GetInt64(0), reader.GetInt64(1)));
        return values;
    }

    private static (NpgsqlTypes.NpgsqlDbType, object?)[] KeyParameters(PgValueKey value) =>
    [
        Bytes(PgText.Key(value.Set.Subject)), Bytes(PgText.Key(value.Set.Predicate)),
        (NpgsqlTypes.NpgsqlDbType.Smallint, value.ObjectType), Bytes(value.Digest.Bytes.ToArray()),
    ];
}

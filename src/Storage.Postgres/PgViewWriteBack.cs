using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Writes a fold's changed view rows back, one statement per table and kind, added to the write's <see cref="PgBatch"/>: rows the prefetch found stored are
/// upserted from arrays (<c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE</c>); rows it found absent are
/// new, and from <see cref="PgLedgerInsert.CopyThreshold"/> of them they are appended with binary <c>COPY</c> (sent at once), which
/// PostgreSQL ingests without decoding arrays or the speculative insertion of <c>ON CONFLICT</c>. "Absent" holds
/// until commit: every writer of the views (a write, a lens build, a repair) holds the clock lock, and the prefetch
/// ran under it.
/// </summary>
internal static class PgViewWriteBack
{
    private const string VotesUpsert = """
        INSERT INTO current_votes(assertion, agent, weight_units, lsn) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bigint[], $4::bigint[])
        ON CONFLICT (assertion, agent) DO UPDATE SET weight_units = excluded.weight_units, lsn = excluded.lsn
        """;

    private const string ValuesUpsert = """
        INSERT INTO mv_value(subject, predicate, object_type, object_digest, support_units, first_lsn)
        SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::smallint[], $4::bytea[], $5::bigint[], $6::bigint[])
        ON CONFLICT (subject, predicate, object_type, object_digest) DO UPDATE SET support_units = excluded.support_units
        """;

    private const string SetsUpsert = """
        INSERT INTO mv_set(subject, predicate, total_units, candidates, assertion_count)
        SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bigint[], $4::bigint[], $5::bigint[])
        ON CONFLICT (subject, predicate) DO UPDATE SET
            total_units = excluded.total_units, candidates = excluded.candidates, assertion_count = excluded.assertion_count
        """;

    /// <summary>The agents' current votes.</summary>
    public static void Votes(NpgsqlConnection connection, PgBatch batch,
        IReadOnlyList<(ContentHash Assertion, string Agent, long Units, long Lsn)> rows, bool areNew)
    {
        if (rows.Count == 0) return;
        if (areNew && rows.Count >= PgLedgerInsert.CopyThreshold)
        {
            using var copy = PgCopy.Begin(connection, "current_votes", "assertion, agent, weight_units, lsn");
            foreach (var (assertion, agent, units, lsn) in rows)
            {
                copy.Row(4);
                copy.Bytea(assertion.Bytes);
                copy.Bytea(PgText.ToColumn(agent));
                copy.Bigint(units);
                copy.Bigint(lsn);
            }
            copy.Complete();
            return;
        }
        batch.Add(VotesUpsert, null, BytesArray([.. rows.Select(v => v.Assertion.Bytes.ToArray())]),
            BytesArray([.. rows.Select(v => PgText.ToColumn(v.Agent))]), Longs(rows.Select(v => v.Units)), Longs(rows.Select(v => v.Lsn)));
    }

    /// <summary>The values' tallies.</summary>
    public static void Values(NpgsqlConnection connection, PgBatch batch, IReadOnlyList<(PgValueKey Key, ValueTally Tally)> rows, bool areNew)
    {
        if (rows.Count == 0) return;
        if (areNew && rows.Count >= PgLedgerInsert.CopyThreshold)
        {
            using var copy = PgCopy.Begin(connection, "mv_value", "subject, predicate, object_type, object_digest, support_units, first_lsn");
            foreach (var (key, tally) in rows)
            {
                copy.Row(6);
                copy.Key(key.Set.Subject);
                copy.Key(key.Set.Predicate);
                copy.Smallint(key.ObjectType);
                copy.Bytea(key.Digest.Bytes);
                copy.Bigint(tally.SupportUnits);
                copy.Bigint(tally.FirstLsn);
            }
            copy.Complete();
            return;
        }
        batch.Add(ValuesUpsert, null, BytesArray([.. rows.Select(v => PgText.Key(v.Key.Set.Subject))]),
            BytesArray([.. rows.Select(v => PgText.Key(v.Key.Set.Predicate))]),
            (NpgsqlDbType.Array | NpgsqlDbType.Smallint, rows.Select(v => v.Key.ObjectType).ToArray()),
            BytesArray([.. rows.Select(v => v.Key.Digest.Bytes.ToArray())]), Longs(rows.Select(v => v.Tally.SupportUnits)),
            Longs(rows.Select(v => v.Tally.FirstLsn)));
    }

    /// <summary>The sets' totals and counts.</summary>
    public static void Sets(NpgsqlConnection connection, PgBatch batch,
        IReadOnlyList<(SetKey Key, long Total, long Candidates, long Assertions)> rows, bool areNew)
    {
        if (rows.Count == 0) return;
        if (areNew && rows.Count >= PgLedgerInsert.CopyThreshold)
        {
            using var copy = PgCopy.Begin(connection, "mv_set", "subject, predicate, total_units, candidates, assertion_count");
            foreach (var (key, total, candidates, assertions) in rows)
            {
                copy.Row(5);
                copy.Key(key.Subject);
                copy.Key(key.Predicate);
                copy.Bigint(total);
                copy.Bigint(candidates);
                copy.Bigint(assertions);
            }
            copy.Complete();
            return;
        }
        batch.Add(SetsUpsert, null, BytesArray([.. rows.Select(s => PgText.Key(s.Key.Subject))]),
            BytesArray([.. rows.Select(s => PgText.Key(s.Key.Predicate))]), Longs(rows.Select(s => s.Total)),
            Longs(rows.Select(s => s.Candidates)), Longs(rows.Select(s => s.Assertions)));
    }
}

using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Model;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Appends a write's assertions and votes to the ledgers: one <c>INSERT ... SELECT FROM unnest(...)</c> per table, added to
/// the write's <see cref="PgBatch"/>, or for a large write (a bulk loader's batch) a binary <c>COPY</c>, sent at once,
/// which PostgreSQL ingests fastest.
/// </summary>
internal static class PgLedgerInsert
{
    /// <summary>From this many rows a ledger is appended with binary COPY.</summary>
    public const int CopyThreshold = 1000;

    private const string AssertionColumns =
        "lsn, hash, subject, predicate, subject_key, predicate_key, object_type, object, object_digest, epoch, agent, confidence, lineage, asserted_at";

    private const string AssertionsSql = $"""
        INSERT INTO assertions({AssertionColumns})
        SELECT lsn, hash, subject, predicate, subject_key, predicate_key, object_type, object, object_digest, epoch, agent, confidence, lineage, $14
        FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bytea[], $6::bytea[], $7::smallint[], $8::bytea[], $9::bytea[],
                    $10::bytea[], $11::bytea[], $12::float8[], $13::bytea[])
            AS t(lsn, hash, subject, predicate, subject_key, predicate_key, object_type, object, object_digest, epoch, agent, confidence, lineage)
        """;

    private const string VotesSql = """
        INSERT INTO votes(lsn, assertion, agent, weight, voted_at)
        SELECT lsn, assertion, agent, weight, $5 FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::float8[]) AS t(lsn, assertion, agent, weight)
        """;

    /// <summary>
    /// Inserts the assertions (their columns, LSNs placed). A large write's go by binary COPY, every row sent but the COPY
    /// not completed: it is returned, for the caller to complete (and dispose) after work it does while the server ingests
    /// the rows. Null when the rows went into <paramref name="batch"/>.
    /// </summary>
    public static PgCopy? Assertions(NpgsqlConnection connection, PgBatch batch, PgAssertionColumns c)
    {
        int n = c.Lsns.Length;
        long ticks = c.Ticks;
        if (n == 0) return null;
        if (n >= CopyThreshold)
        {
            var copy = PgCopy.Begin(connection, "assertions", AssertionColumns);
            for (int i = 0; i < n; i++)
            {
                copy.Row(14);
                copy.Bigint(c.Lsns[i]);
                copy.Bytea(c.Hashes[i]);
                copy.Bytea(c.Subjects[i]);
                copy.Bytea(c.Predicates[i]);
                copy.Bytea(c.SubjectKeys[i]);
                copy.Bytea(c.PredicateKeys[i]);
                c.CopyValueColumns(copy, i);
                copy.Bigint(ticks);
            }
            copy.Flush();
            return copy;
        }
        batch.Add(AssertionsSql, null,
            (NpgsqlDbType.Array | NpgsqlDbType.Bigint, c.Lsns), BytesArray(c.Hashes), BytesArray(c.Subjects), BytesArray(c.Predicates), BytesArray(c.SubjectKeys),
            BytesArray(c.PredicateKeys), (NpgsqlDbType.Array | NpgsqlDbType.Smallint, c.Types), BytesArray(c.Objects), BytesArray(c.Digests), BytesArray(c.Epochs),
            BytesArray(c.Agents), (NpgsqlDbType.Array | NpgsqlDbType.Double, c.Confidences), (NpgsqlDbType.Array | NpgsqlDbType.Bytea, c.Lineages), Long(ticks));
        return null;
    }

    /// <summary>Inserts the votes.</summary>
    public static void Votes(NpgsqlConnection connection, PgBatch batch, IReadOnlyList<(Vote Vote, long Lsn)> rows, long ticks)
    {
        if (rows.Count == 0) return;
        if (rows.Count >= CopyThreshold)
        {
            using var copy = PgCopy.Begin(connection, "votes", "lsn, assertion, agent, weight, voted_at");
            foreach (var (vote, lsn) in rows)
            {
                copy.Row(5);
                copy.Bigint(lsn);
                copy.Bytea(vote.Assertion.Bytes);
                copy.Bytea(PgText.ToColumn(vote.Agent));
                copy.Double(vote.Weight);
                copy.Bigint(ticks);
            }
            copy.Complete();
            return;
        }
        batch.Add(VotesSql, null,
            (NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Select(r => r.Lsn).ToArray()),
            BytesArray([.. rows.Select(r => r.Vote.Assertion.Bytes.ToArray())]),
            BytesArray([.. rows.Select(r => PgText.ToColumn(r.Vote.Agent))]),
            (NpgsqlDbType.Array | NpgsqlDbType.Double, rows.Select(r => r.Vote.Weight).ToArray()), Long(ticks));
    }
}

using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Model;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Appends a write's assertions and votes to the ledgers: one <c>INSERT ... SELECT FROM unnest(...)</c> per table, or
/// for a large write (a bulk loader's batch) a binary <c>COPY</c>, which PostgreSQL ingests fastest.
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

    /// <summary>Inserts the assertions; returns each one's value key (for the views) in the same order.</summary>
    public static PgValueKey[] Assertions(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Assertion Assertion, long Lsn)> rows, long ticks)
    {
        var keys = new PgValueKey[rows.Count];
        if (rows.Count == 0) return keys;
        int n = rows.Count;
        var lsns = new long[n];
        var hashes = new byte[n][];
        var subjects = new byte[n][];
        var predicates = new byte[n][];
        var subjectKeys = new byte[n][];
        var predicateKeys = new byte[n][];
        var types = new short[n];
        var objects = new byte[n][];
        var digests = new byte[n][];
        var epochs = new byte[n][];
        var agents = new byte[n][];
        var confidences = new double[n];
        var lineages = new byte[]?[n];
        for (int i = 0; i < n; i++)
        {
            var (a, lsn) = rows[i];
            lsns[i] = lsn;
            hashes[i] = a.Hash.Bytes.ToArray();
            subjects[i] = PgText.ToColumn(a.Subject);
            predicates[i] = PgText.ToColumn(a.Predicate);
            subjectKeys[i] = PgText.Key(a.Subject);
            predicateKeys[i] = PgText.Key(a.Predicate);
            types[i] = PgValueCodec.TypeOf(a.Object);
            objects[i] = PgValueCodec.ToColumn(a.Object);
            digests[i] = PgValueCodec.Digest(objects[i]);
            epochs[i] = PgText.ToColumn(a.Epoch);
            agents[i] = PgText.ToColumn(a.Agent);
            confidences[i] = a.Confidence;
            lineages[i] = PgValueCodec.LineageToColumn(a.Lineage);
            keys[i] = new PgValueKey(new(a.Subject, a.Predicate), types[i], ContentHash.FromBytes(digests[i]));
        }
        if (n >= CopyThreshold)
        {
            using var copy = connection.BeginBinaryImport($"COPY assertions ({AssertionColumns}) FROM STDIN (FORMAT BINARY)");
            for (int i = 0; i < n; i++)
            {
                copy.StartRow();
                copy.Write(lsns[i], NpgsqlDbType.Bigint);
                foreach (var column in new[] { hashes[i], subjects[i], predicates[i], subjectKeys[i], predicateKeys[i] }) copy.Write(column, NpgsqlDbType.Bytea);
                copy.Write(types[i], NpgsqlDbType.Smallint);
                foreach (var column in new[] { objects[i], digests[i], epochs[i], agents[i] }) copy.Write(column, NpgsqlDbType.Bytea);
                copy.Write(confidences[i], NpgsqlDbType.Double);
                if (lineages[i] is { } lineage) copy.Write(lineage, NpgsqlDbType.Bytea);
                else copy.WriteNull();
                copy.Write(ticks, NpgsqlDbType.Bigint);
            }
            copy.Complete();
            return keys;
        }
        using var command = Create(connection, transaction, AssertionsSql,
            (NpgsqlDbType.Array | NpgsqlDbType.Bigint, lsns), BytesArray(hashes), BytesArray(subjects), BytesArray(predicates), BytesArray(subjectKeys), BytesArray(predicateKeys),
            (NpgsqlDbType.Array | NpgsqlDbType.Smallint, types), BytesArray(objects), BytesArray(digests), BytesArray(epochs), BytesArray(agents),
            (NpgsqlDbType.Array | NpgsqlDbType.Double, confidences), (NpgsqlDbType.Array | NpgsqlDbType.Bytea, lineages), Long(ticks));
        command.ExecuteNonQuery();
        return keys;
    }

    /// <summary>Inserts the votes.</summary>
    public static void Votes(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Vote Vote, long Lsn)> rows, long ticks)
    {
        if (rows.Count == 0) return;
        if (rows.Count >= CopyThreshold)
        {
            using var copy = connection.BeginBinaryImport("COPY votes (lsn, assertion, agent, weight, voted_at) FROM STDIN (FORMAT BINARY)");
            foreach (var (vote, lsn) in rows)
            {
                copy.StartRow();
                copy.Write(lsn, NpgsqlDbType.Bigint);
                copy.Write(vote.Assertion.Bytes.ToArray(), NpgsqlDbType.Bytea);
                copy.Write(PgText.ToColumn(vote.Agent), NpgsqlDbType.Bytea);
                copy.Write(vote.Weight, NpgsqlDbType.Double);
                copy.Write(ticks, NpgsqlDbType.Bigint);
            }
            copy.Complete();
            return;
        }
        using var command = Create(connection, transaction, VotesSql,
            (NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Select(r => r.Lsn).ToArray()),
            BytesArray([.. rows.Select(r => r.Vote.Assertion.Bytes.ToArray())]),
            BytesArray([.. rows.Select(r => PgText.ToColumn(r.Vote.Agent))]),
            (NpgsqlDbType.Array | NpgsqlDbType.Double, rows.Select(r => r.Vote.Weight).ToArray()), Long(ticks));
        command.ExecuteNonQuery();
    }
}

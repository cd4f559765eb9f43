using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Lenses;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// <c>mv_winner</c>: one row per lens and set, holding the lens's state (<c>lsn</c>, the winner's LSN; <c>tally</c>;
/// <c>data</c>) and its view row denormalized (the winner's assertion columns, its value's support, the set's total and
/// candidates), so a lookup by subject (and predicate) is one index seek, and a write stores a state and its view row as
/// one row. The view columns decide nothing: they are the winner's ledger row and the tallies of <c>mv_value</c> and
/// <c>mv_set</c>, rewritten in the same transaction for every set a write touched (after the fold's own rows are written).
/// </summary>
internal static class PgWinners
{
    /// <summary>
    /// The table, in <see cref="PgSchema"/>'s layout (version 3: the state's <c>tally</c> and <c>data</c> last; version 4:
    /// partitioned by lens, its partitions made per lens by <see cref="PgWinnerPartitions"/>). The key must hold the
    /// partition's column, and holds it last: within a partition the lens is one value, so a search by set seeks on
    /// (subject, predicate) whether or not it names the lens (first, a search without it read the whole partition's index).
    /// </summary>
    public const string CreateSql = """
        CREATE TABLE mv_winner(
            lens text NOT NULL,
            subject_key bytea NOT NULL,
            predicate_key bytea NOT NULL,
            lsn bigint NOT NULL,
            hash bytea NOT NULL,
            subject bytea NOT NULL,
            predicate bytea NOT NULL,
            object_type smallint NOT NULL,
            object bytea NOT NULL,
            object_digest bytea NOT NULL,
            epoch bytea NOT NULL,
            agent bytea NOT NULL,
            confidence double precision NOT NULL,
            lineage bytea,
            asserted_at bigint NOT NULL,
            support_units bigint NOT NULL,
            total_units bigint NOT NULL,
            candidates bigint NOT NULL,
            tally bigint NOT NULL,
            data bytea,
            PRIMARY KEY(subject_key, predicate_key, lens))
            PARTITION BY LIST (lens)
        """;

    /// <summary>Every column, in the table's order.</summary>
    public const string Columns = """
        lens, subject_key, predicate_key, lsn, hash, subject, predicate, object_type, object, object_digest, epoch, agent, confidence, lineage,
        asserted_at, support_units, total_units, candidates, tally, data
        """;

    /// <summary>
    /// Fills the table from a version 1 or 2 schema's <c>lens_state</c> joined with the views (the upgrade to version 3 and
    /// later): the rows version 2's <c>mv_winner</c> held, with each state beside its view row.
    /// </summary>
    public const string FromLensStateSql = $"""
        INSERT INTO mv_winner({Columns})
        SELECT l.lens, s.subject, s.predicate, a.lsn, a.hash, a.subject, a.predicate, a.object_type, a.object, a.object_digest, a.epoch, a.agent,
            a.confidence, a.lineage, a.asserted_at, mv.support_units, s.total_units, s.candidates, l.tally, l.data
        FROM mv_set s
        JOIN lens_state l ON l.subject = s.subject AND l.predicate = s.predicate
        JOIN assertions a ON a.lsn = l.winner_lsn
        JOIN mv_value mv ON mv.subject = s.subject AND mv.predicate = s.predicate AND mv.object_type = a.object_type AND mv.object_digest = a.object_digest
        """;

    // Into one lens's partition, named directly: through the parent, each execution would route its rows and look up each
    // partition's place in the catalog (three shared buffers and about 2 µs more per partition it meets).
    private static string UpsertSql(string lens) => UpsertTexts.GetOrAdd(lens, static lens => $"""
        INSERT INTO {PgWinnerPartitions.Name(lens)}({Columns})
        SELECT {PgReadSql.Literal(lens)}, k.ks, k.kp, a.lsn, a.hash, a.subject, a.predicate, a.object_type, a.object, a.object_digest, a.epoch, a.agent,
            a.confidence, a.lineage, a.asserted_at,
            (SELECT mv.support_units FROM mv_value mv
             WHERE mv.subject = k.ks AND mv.predicate = k.kp AND mv.object_type = a.object_type AND mv.object_digest = a.object_digest),
            k.total, k.candidates, k.tally, k.data
        FROM unnest($1::bytea[], $2::bytea[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bytea[])
            AS k(ks, kp, lsn, total, candidates, tally, data)
        JOIN assertions a ON a.lsn = k.lsn
        ON CONFLICT (subject_key, predicate_key, lens) DO UPDATE SET lsn = excluded.lsn, hash = excluded.hash, subject = excluded.subject,
            predicate = excluded.predicate, object_type = excluded.object_type, object = excluded.object, object_digest = excluded.object_digest,
            epoch = excluded.epoch, agent = excluded.agent, confidence = excluded.confidence, lineage = excluded.lineage,
            asserted_at = excluded.asserted_at, support_units = excluded.support_units, total_units = excluded.total_units,
            candidates = excluded.candidates, tally = excluded.tally, data = excluded.data
        """);

    private static readonly ConcurrentDictionary<string, string> UpsertTexts = new(StringComparer.Ordinal);

    /// <summary>One lens's row of one set as the fold holds it: its state, and the set's total and candidates.</summary>
    public readonly record struct Held(string Lens, SetKey Set, LensState State, long Total, long Candidates);

    /// <summary>A row of a set new in this write: its state, the winner's row among the write's assertions, and the tallies.</summary>
    public readonly record struct Built(string Lens, int Row, LensState State, long Support, long Total, long Candidates);

    /// <summary>
    /// Writes the rows of sets whose view rows the fold holds (each lens's state, the set's total and candidates, the
    /// tallies written earlier in the same batch): the winner's columns are one seek by LSN, its value's support one seek
    /// of <c>mv_value</c>'s key, and the state goes into the same row. One statement per lens, into its partition.
    /// </summary>
    public static void Upsert(PgBatch batch, IReadOnlyList<Held> rows)
    {
        foreach (var lens in rows.GroupBy(r => r.Lens, StringComparer.Ordinal))
        {
            var of = lens.ToList();
            batch.Add(UpsertSql(lens.Key), null,
                BytesArray([.. of.Select(r => PgText.Key(r.Set.Subject))]), BytesArray([.. of.Select(r => PgText.Key(r.Set.Predicate))]),
                Longs(of.Select(r => r.State.WinnerLsn)), Longs(of.Select(r => r.Total)), Longs(of.Select(r => r.Candidates)),
                Longs(of.Select(r => r.State.Tally)), (NpgsqlDbType.Array | NpgsqlDbType.Bytea, of.Select(r => r.State.Data).ToArray()));
        }
    }

    /// <summary>
    /// Appends the rows of sets that are new in this write, built from what the write holds (the winner is one of its
    /// assertions, the tallies and the state are the fold's), with binary <c>COPY</c>.
    /// </summary>
    public static void Append(NpgsqlConnection connection, PgAssertionColumns assertions, IReadOnlyList<Built> rows)
    {
        using var copy = PgCopy.Begin(connection, "mv_winner", Columns);
        var c = assertions;
        foreach (var (lens, i, state, support, total, candidates) in rows)
        {
            copy.Row(20);
            copy.Text(lens);
            copy.Bytea(c.SubjectKeys[i]);
            copy.Bytea(c.PredicateKeys[i]);
            copy.Bigint(c.Lsns[i]);
            copy.Bytea(c.Hashes[i]);
            copy.Bytea(c.Subjects[i]);
            copy.Bytea(c.Predicates[i]);
            c.CopyValueColumns(copy, i);
            copy.Bigint(c.Ticks);
            copy.Bigint(support);
            copy.Bigint(total);
            copy.Bigint(candidates);
            copy.Bigint(state.Tally);
            copy.Bytea(state.Data);
        }
        copy.Complete();
    }
}

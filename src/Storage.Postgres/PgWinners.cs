using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Lenses;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// <c>mv_winner</c>: each lens's view row of each set, denormalized (the winner's assertion columns, its value's
/// support, the set's total and candidates), so a lookup by subject (and predicate) is one index seek instead of
/// a join of four tables. It holds nothing the fold decides: each row is the join of <c>mv_set</c>, <c>lens_state</c>,
/// <c>assertions</c> and <c>mv_value</c> for its set, refreshed in the same transaction for every set a write
/// touched (after the fold's own rows are written), so it cannot disagree with them.
/// </summary>
internal static class PgWinners
{
    /// <summary>The table, in <see cref="PgSchema"/>'s layout (version 2).</summary>
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
            PRIMARY KEY(lens, subject_key, predicate_key))
        """;

    private const string Columns = """
        lens, subject_key, predicate_key, lsn, hash, subject, predicate, object_type, object, object_digest, epoch, agent, confidence, lineage,
        asserted_at, support_units, total_units, candidates
        """;

    private const string Join = """
        SELECT l.lens, s.subject, s.predicate, a.lsn, a.hash, a.subject, a.predicate, a.object_type, a.object, a.object_digest, a.epoch, a.agent,
            a.confidence, a.lineage, a.asserted_at, mv.support_units, s.total_units, s.candidates
        FROM mv_set s
        JOIN lens_state l ON l.subject = s.subject AND l.predicate = s.predicate
        JOIN assertions a ON a.lsn = l.winner_lsn
        JOIN mv_value mv ON mv.subject = s.subject AND mv.predicate = s.predicate AND mv.object_type = a.object_type AND mv.object_digest = a.object_digest
        """;

    private const string Upsert = """
        ON CONFLICT (lens, subject_key, predicate_key) DO UPDATE SET lsn = excluded.lsn, hash = excluded.hash, subject = excluded.subject,
            predicate = excluded.predicate, object_type = excluded.object_type, object = excluded.object, object_digest = excluded.object_digest,
            epoch = excluded.epoch, agent = excluded.agent, confidence = excluded.confidence, lineage = excluded.lineage,
            asserted_at = excluded.asserted_at, support_units = excluded.support_units, total_units = excluded.total_units, candidates = excluded.candidates
        """;

    private const string UpsertSql = $"""
        INSERT INTO mv_winner({Columns})
        SELECT k.lens, k.ks, k.kp, a.lsn, a.hash, a.subject, a.predicate, a.object_type, a.object, a.object_digest, a.epoch, a.agent, a.confidence,
            a.lineage, a.asserted_at,
            (SELECT mv.support_units FROM mv_value mv
             WHERE mv.subject = k.ks AND mv.predicate = k.kp AND mv.object_type = a.object_type AND mv.object_digest = a.object_digest),
            k.total, k.candidates
        FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bigint[], $5::bigint[], $6::bigint[]) AS k(lens, ks, kp, lsn, total, candidates)
        JOIN assertions a ON a.lsn = k.lsn
        {Upsert}
        """;

    /// <summary>Rewrites the rows of <paramref name="sets"/> for <paramref name="lenses"/> from the fold's tables (last in the batch, after them).</summary>
    public static void Refresh(PgBatch batch, IReadOnlyCollection<SetKey> sets, IReadOnlyList<string> lenses)
    {
        if (sets.Count == 0) return;
        // The lens is named: lens_state's key starts with it, and without it each set would scan that index whole.
        batch.Add($"INSERT INTO mv_winner({Columns}) {Join} JOIN unnest($1::bytea[], $2::bytea[]) AS k(ks, kp) ON s.subject = k.ks AND s.predicate = k.kp WHERE l.lens = ANY($3) {Upsert}",
            null, BytesArray([.. sets.Select(s => PgText.Key(s.Subject))]), BytesArray([.. sets.Select(s => PgText.Key(s.Predicate))]),
            (NpgsqlDbType.Array | NpgsqlDbType.Text, lenses.ToArray()));
    }

    /// <summary>
    /// Rewrites the rows of sets whose view rows the fold holds (each lens's winner LSN, the set's total and candidates,
    /// written earlier in the same batch): the winner's columns are one seek by LSN, its value's support one seek of
    /// <c>mv_value</c>'s key. The rows <see cref="Refresh"/> joins four tables for, with no join order for a generic plan
    /// to get wrong (made on tables without statistics, it scanned every set of a predicate and every value of each set).
    /// </summary>
    public static void UpsertHeld(PgBatch batch, IReadOnlyList<(string Lens, SetKey Set, long WinnerLsn, long Total, long Candidates)> rows)
    {
        if (rows.Count == 0) return;
        batch.Add(UpsertSql, null, (NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => r.Lens).ToArray()),
            BytesArray([.. rows.Select(r => PgText.Key(r.Set.Subject))]), BytesArray([.. rows.Select(r => PgText.Key(r.Set.Predicate))]),
            Longs(rows.Select(r => r.WinnerLsn)), Longs(rows.Select(r => r.Total)), Longs(rows.Select(r => r.Candidates)));
    }

    /// <summary>
    /// Appends the rows of sets that are new in this write, built from what the write holds (the winner is one of its
    /// assertions, the tallies are the fold's): the same row the join would give, without its four seeks per row.
    /// </summary>
    public static void Append(NpgsqlConnection connection, PgAssertionColumns assertions, IReadOnlyList<(string Lens, int Row, long Support, long Total, long Candidates)> rows)
    {
        using var copy = PgCopy.Begin(connection, "mv_winner", Columns);
        var c = assertions;
        foreach (var (lens, i, support, total, candidates) in rows)
        {
            copy.Row(18);
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
        }
        copy.Complete();
    }

    /// <summary>Rebuilds the whole table (a schema upgrade, a lens built or dropped).</summary>
    public static void RefreshAll(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        using (var delete = Create(connection, transaction, "DELETE FROM mv_winner")) delete.ExecuteNonQuery();
        using var insert = Create(connection, transaction, $"INSERT INTO mv_winner({Columns}) {Join}");
        insert.ExecuteNonQuery();
    }
}

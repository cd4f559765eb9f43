using Npgsql;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The integrity check's steps on one connection, inside a transaction that holds the clock lock (so no
/// write moves the ledger meanwhile): every assertion's hash, every vote's target, and the views against
/// a fold of the ledger into TEMP tables that shadow the stored ones (unqualified names resolve to
/// <c>pg_temp</c> first). Repair replaces the stored view tables with the fold's.
/// </summary>
internal sealed class PgLedgerCheck(NpgsqlConnection connection, NpgsqlTransaction transaction, Action<IntegrityProblem> report,
    IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
{
    private const int Chunk = 10_000;

    /// <summary>Checks every assertion's hash; returns how many there are.</summary>
    public long Hashes()
    {
        long rows = 0, after = 0;
        while (true)
        {
            using var command = Create(connection, transaction,
                $"SELECT {PgReadSql.AssertionColumns} FROM assertions a WHERE a.lsn > $1 ORDER BY a.lsn LIMIT {Chunk}", Long(after));
            using var reader = command.ExecuteReader();
            int read = 0;
            while (reader.Read())
            {
                cancellation.ThrowIfCancellationRequested();
                read++;
                rows++;
                after = reader.GetInt64(0);
                Check(reader, after);
            }
            progress?.Report(new IntegrityProgress("assertions", rows));
            if (read < Chunk) return rows;
        }
    }

    private void Check(NpgsqlDataReader reader, long lsn)
    {
        try
        {
            var stored = PgRows.Assertion(reader).Assertion;
            var computed = new Assertion(stored.Subject, stored.Predicate, stored.Object, stored.Epoch, stored.Agent, stored.Lineage, stored.Confidence).Hash;
            if (computed != stored.Hash)
                report(new IntegrityProblem(IntegrityKinds.AssertionHash, lsn, stored.Hash,
                    $"the assertion at LSN {lsn} no longer matches its hash (its columns hash to {computed}): the row was changed outside StemeQL; restore it from a backup"));
        }
        catch (StemeException error)
        {
            report(new IntegrityProblem(IntegrityKinds.UnreadableRow, lsn, null, $"the assertion at LSN {lsn} cannot be read: {error.Message}"));
        }
    }

    /// <summary>Counts the votes and reports those whose target is not stored.</summary>
    public long Votes()
    {
        using (var orphans = Create(connection, transaction,
            "SELECT v.lsn, v.assertion FROM votes v WHERE NOT EXISTS (SELECT 1 FROM assertions a WHERE a.hash = v.assertion) ORDER BY v.lsn"))
        using (var reader = orphans.ExecuteReader())
        {
            while (reader.Read())
                report(new IntegrityProblem(IntegrityKinds.OrphanVote, reader.GetInt64(0), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(1)),
                    $"the vote at LSN {reader.GetInt64(0)} is on an assertion the ledger does not hold"));
        }
        using var count = Create(connection, transaction, "SELECT count(*) FROM votes");
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>Folds the ledger into TEMP view tables and compares them with the stored ones; returns the view rows that differ.</summary>
    public long CompareViews(IReadOnlyList<ILens> lenses, string schema)
    {
        foreach (var table in PgSchema.ViewTables)
            Execute($"CREATE TEMP TABLE {table} (LIKE {Quote(schema)}.{table} INCLUDING ALL){(table == "mv_winner" ? " PARTITION BY LIST (lens)" : "")} ON COMMIT DROP");
        // With partitions of the same names: the fold writes each lens's rows into its partition by name (PgWinners.Upsert).
        PgWinnerPartitions.Create(connection, transaction, [.. lenses.Select(l => l.Name)], temporary: true);
        Fold(lenses);
        long differing = 0;
        foreach (var table in PgSchema.ViewTables)
        {
            using var command = Create(connection, transaction, $"""
                SELECT count(*) FROM ((SELECT * FROM pg_temp.{table} EXCEPT ALL SELECT * FROM {Quote(schema)}.{table})
                    UNION ALL (SELECT * FROM {Quote(schema)}.{table} EXCEPT ALL SELECT * FROM pg_temp.{table})) d
                """);
            differing += (long)command.ExecuteScalar()!;
        }
        return differing;
    }

    /// <summary>Replaces the stored view tables with the fold's (after <see cref="CompareViews"/>).</summary>
    public void ReplaceViews(string schema)
    {
        foreach (var table in PgSchema.ViewTables)
        {
            Execute($"DELETE FROM {Quote(schema)}.{table}");
            Execute($"INSERT INTO {Quote(schema)}.{table} SELECT * FROM pg_temp.{table}");
        }
    }

    // Events in LSN order, a chunk at a time (one statement runs at a time on a connection, and the fold writes),
    // each chunk folded through its own buffer like a write.
    private void Fold(IReadOnlyList<ILens> lenses)
    {
        string[] names = [.. lenses.Select(l => l.Name)];
        void Orphan(ContentHash target, long lsn) { } // reported by Votes()
        long after = 0, events = 0;
        while (true)
        {
            var chunk = new List<(bool IsVote, long Lsn, ContentHash Hash, string A, PgValueKey Value, double Weight)>();
            using (var command = Create(connection, transaction, $"""
                (SELECT false, lsn, hash, subject, predicate, object_type, object_digest, confidence FROM assertions WHERE lsn > $1 ORDER BY lsn LIMIT {Chunk})
                UNION ALL
                (SELECT true, lsn, assertion, agent, NULL, NULL, NULL, weight FROM votes WHERE lsn > $1 ORDER BY lsn LIMIT {Chunk})
                ORDER BY 2 LIMIT {Chunk}
                """, Long(after)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    bool vote = reader.GetBoolean(0);
                    string a = PgText.FromColumn(reader.GetFieldValue<byte[]>(3));
                    var value = vote ? default : new PgValueKey(new SetKey(a, PgText.FromColumn(reader.GetFieldValue<byte[]>(4))), reader.GetInt16(5),
                        ContentHash.FromBytes(reader.GetFieldValue<byte[]>(6)));
                    chunk.Add((vote, reader.GetInt64(1), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(2)), a, value, reader.GetDouble(7)));
                }
            }
            var buffer = new PgFoldBuffer(connection, transaction, names);
            buffer.Prefetch(chunk.Where(e => !e.IsVote).Select(e => (e.Hash, e.Value)), chunk.Where(e => e.IsVote).Select(e => (e.Hash, e.A)));
            var fold = new ViewFold<PgValueKey>(buffer, buffer, lenses);
            foreach (var e in chunk)
            {
                cancellation.ThrowIfCancellationRequested();
                if (e.IsVote) fold.Vote(e.Hash, e.A, Weights.ToUnits(e.Weight), e.Lsn);
                else fold.Assert(e.Hash, e.Value, Weights.ToUnits(e.Weight), e.Lsn);
                after = e.Lsn;
            }
            fold.Flush(Orphan);
            buffer.WriteBack();
            events += chunk.Count;
            progress?.Report(new IntegrityProgress("views", events));
            if (chunk.Count < Chunk) return;
        }
    }

    private void Execute(string sql)
    {
        using var command = Create(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The explicit integrity check of a data folder: SQLite's quick check of <c>store.db</c>, the hash of
/// every assertion row, the target of every vote, the packed vote indexes against the votes (<see cref="PackedVoteCheck"/>), the views against a fold of the ledger, and the
/// journal's frames. The store checks run in one read transaction (one consistent snapshot, beside a
/// running writer) on a connection of their own; the fold goes into TEMP tables. Nothing in the folder
/// changes unless repair is asked for, and then only the views and the packed vote indexes are rebuilt.
/// </summary>
internal static class IntegrityCheck
{
    /// <summary>Runs the check on the store file and journal folder given.</summary>
    public static IntegrityReport Run(string databasePath, string journalDirectory, bool repair,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        var problems = new List<IntegrityProblem>();
        long assertions, votes, viewRows = 0;
        using (var connection = SqliteRuntime.Open(ConnectionString(databasePath, SqliteOpenMode.ReadOnly)))
        {
            StoreFile(connection, problems.Add);
            // The fold's lookups stay in memory, as the ingestor's do (the default cache is 2 MiB).
            SqliteRuntime.Execute(connection, "PRAGMA cache_size = -65536");
            SqliteRuntime.Execute(connection, "PRAGMA temp.cache_size = -65536");
            LedgerFold.CreateShadowTables(connection);
            SqliteRuntime.Execute(connection, "BEGIN");
            try
            {
                // The views and their watermark are committed together: fold exactly what they cover.
                long materialized = Materialized(connection);
                progress?.Report(new IntegrityProgress("hashes", 0));
                assertions = Hashes(connection, problems.Add, progress, cancellation);
                votes = SqliteRuntime.Scalar(connection, "SELECT count(*) FROM main.votes") is long v ? v : 0;
                PackedVoteCheck.Run(connection, votes, problems.Add, progress, cancellation);
                progress?.Report(new IntegrityProgress("views", 0));
                var lenses = LedgerFold.Lenses(connection);
                try
                {
                    LedgerFold.Fold(connection, lenses, materialized, problems.Add, progress, cancellation);
                    viewRows = LedgerFold.Compare(connection, lenses, problems.Add);
                }
                catch (InvalidOperationException error)
                {
                    // A ledger the views cannot be folded from is damage to report, not a crash; a repair would fold it the
                    // same way, so this is not a view mismatch that repair rebuilds.
                    problems.Add(new IntegrityProblem(IntegrityKinds.UnreadableRow, null, null,
                        $"the views cannot be folded from the ledger: {error.Message} Restore the data folder from a backup."));
                }
            }
            finally
            {
                SqliteRuntime.Execute(connection, "ROLLBACK");
            }
        }
        progress?.Report(new IntegrityProgress("journal", 0));
        long frames = JournalCheck.Scan(journalDirectory, problems.Add, progress, cancellation);
        bool rebuildViews = repair && problems.Exists(p => p.Kind == IntegrityKinds.ViewMismatch);
        bool rebuildVoteIndexes = repair && problems.Exists(p => p.Kind == IntegrityKinds.VoteIndex);
        if (rebuildViews) RebuildViews(databasePath, progress, cancellation);
        if (rebuildVoteIndexes) RebuildVoteIndexes(databasePath, progress, cancellation);
        bool rebuilt = rebuildViews || rebuildVoteIndexes;
        return new IntegrityReport(problems, assertions, votes, viewRows, frames, rebuilt);
    }

    /// <summary>Empties the views and folds the ledger into them again, in one write transaction (the ingestor waits meanwhile).</summary>
    public static void RebuildViews(string databasePath, IProgress<IntegrityProgress>? progress, CancellationToken cancellation) =>
        InWriteTransaction(databasePath, connection =>
        {
            progress?.Report(new IntegrityProgress("repair", 0));
            var lenses = LedgerFold.Lenses(connection);
            foreach (var table in LedgerFold.ViewTables) SqliteRuntime.Execute(connection, $"DELETE FROM main.{table}");
            // A lens this StemeQL does not define is not refolded here: its marker goes, so the next open that materializes it builds it again.
            SqliteRuntime.Execute(connection, $"DELETE FROM main.meta WHERE key LIKE 'lens:%' AND substr(key, 6) NOT IN ({string.Join(", ", lenses.Select(l => $"'{l.Name}'"))})");
            LedgerFold.Fold(connection, lenses, Materialized(connection), _ => { }, progress, cancellation);
        });

    /// <summary>Empties the packed vote indexes and fills them from <c>votes</c> again, in one write transaction.</summary>
    public static void RebuildVoteIndexes(string databasePath, IProgress<IntegrityProgress>? progress, CancellationToken cancellation) =>
        InWriteTransaction(databasePath, connection =>
        {
            progress?.Report(new IntegrityProgress("repair vote indexes", 0));
            SqliteRuntime.Execute(connection, "DELETE FROM main.vote_targets");
            SqliteRuntime.Execute(connection, "DELETE FROM main.vote_agents");
            PackedVoteIndex.Rebuild(connection, null, cancellation);
        });

    private static void InWriteTransaction(string databasePath, Action<SqliteConnection> body)
    {
        using var connection = SqliteRuntime.Open(ConnectionString(databasePath, SqliteOpenMode.ReadWrite));
        SqliteRuntime.Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            body(connection);
            SqliteRuntime.Execute(connection, "COMMIT");
        }
        catch
        {
            SqliteRuntime.Execute(connection, "ROLLBACK");
            throw;
        }
    }

    private static string ConnectionString(string databasePath, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = SqliteRuntime.LockTimeoutSeconds,
    }.ToString();

    private static long Materialized(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM main.meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", WatermarkTable.MaterializedKey);
        return command.ExecuteScalar() is string text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;
    }

    private static void StoreFile(SqliteConnection connection, Action<IntegrityProblem> report)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA main.quick_check(100)";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            string line = reader.GetString(0);
            if (line != "ok") report(new IntegrityProblem(IntegrityKinds.StoreFile, null, null, $"store.db: {line}"));
        }
    }

    private static long Hashes(SqliteConnection connection, Action<IntegrityProblem> report,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RowMapper.AssertionColumns} FROM main.assertions a ORDER BY a.lsn";
        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read())
        {
            cancellation.ThrowIfCancellationRequested();
            if (++rows % 10_000 == 0) progress?.Report(new IntegrityProgress("hashes", rows));
            long lsn = reader.GetInt64(0);
            Assertion stored;
            try
            {
                stored = RowMapper.Assertion(new ReaderColumns(reader)).Assertion;
            }
            catch (StemeException error) when (error.ErrorCode == StemeErrorCode.IntegrityError)
            {
                report(new IntegrityProblem(IntegrityKinds.UnreadableRow, lsn, StoredHash(reader), (error.InnerException ?? error).Message));
                continue;
            }
            var computed = new Assertion(stored.Subject, stored.Predicate, stored.Object, stored.Epoch, stored.Agent, stored.Lineage, stored.Confidence).Hash;
            if (computed != stored.Hash)
            {
                report(new IntegrityProblem(IntegrityKinds.AssertionHash, lsn, stored.Hash,
                    $"the assertion at LSN {lsn} no longer matches its hash (its columns hash to {computed}): the row was changed outside StemeQL; restore it from a backup"));
            }
        }
        return rows;
    }

    private static ContentHash? StoredHash(SqliteDataReader reader) =>
        !reader.IsDBNull(1) && reader.GetValue(1) is byte[] { Length: ContentHash.Size } bytes ? ContentHash.FromBytes(bytes) : null;
}

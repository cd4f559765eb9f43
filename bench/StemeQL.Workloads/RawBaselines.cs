using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace StemeQL.Workloads;

/// <summary>The baselines: what the disk and SQLite do on their own, measured in the same run.</summary>
internal static class RawBaselines
{
    /// <summary>
    /// Appends <paramref name="totalBytes"/> to a new file in <paramref name="folder"/>, in writes of
    /// <paramref name="batchBytes"/>, with Flush(true) (fsync) after each; returns the seconds taken.
    /// </summary>
    public static double AppendAndSync(string folder, long totalBytes, long batchBytes)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "raw-append.bin");
        var chunk = new byte[(int)Math.Min(batchBytes, totalBytes)];
        new Random(1).NextBytes(chunk);
        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            for (long left = totalBytes; left > 0; left -= chunk.Length)
            {
                file.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
                file.Flush(flushToDisk: true);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        File.Delete(path);
        return seconds;
    }

    /// <summary>A raw SQLite connection (WAL) with the given synchronous level.</summary>
    public static SqliteConnection OpenSqlite(string path, string synchronous)
    {
        SQLitePCL.Batteries.Init();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, $"PRAGMA synchronous = {synchronous}");
        Execute(connection, "PRAGMA busy_timeout = 60000");
        return connection;
    }

    /// <summary>
    /// The bytes of the pages in use in the SQLite file at <paramref name="path"/> (its pages less the free ones, the WAL's
    /// committed pages included), read on a read-only connection while the store may hold it open.
    /// </summary>
    public static long UsedBytes(string path)
    {
        SQLitePCL.Batteries.Init();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        long Pragma(string name)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return (long)command.ExecuteScalar()!;
        }
        return (Pragma("page_count") - Pragma("freelist_count")) * Pragma("page_size");
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> vote-shaped rows into a fresh SQLite table with an index on
    /// (assertion, agent), <paramref name="batch"/> rows per transaction, WAL and synchronous=NORMAL;
    /// returns the seconds taken. The floor of what applying votes to SQLite costs, without views.
    /// </summary>
    public static double SqliteBulkInsert(string folder, long rows, int batch)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "raw-votes.db");
        var hash = new byte[32];
        var clock = Stopwatch.StartNew();
        using (var connection = OpenSqlite(path, "NORMAL"))
        {
            Execute(connection, "CREATE TABLE votes (lsn INTEGER PRIMARY KEY, assertion BLOB NOT NULL, agent TEXT NOT NULL, weight REAL NOT NULL, voted_at INTEGER NOT NULL)");
            Execute(connection, "CREATE INDEX votes_by_assertion ON votes (assertion, agent)");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO votes VALUES ($lsn, $assertion, 'bench', $weight, $at)";
            var lsn = insert.Parameters.Add("$lsn", SqliteType.Integer);
            var assertion = insert.Parameters.Add("$assertion", SqliteType.Blob);
            var weight = insert.Parameters.Add("$weight", SqliteType.Real);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            insert.Prepare();
            for (long done = 0; done < rows;)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (int i = 0; i < batch && done < rows; i++, done++)
                {
                    hash[0] = (byte)(done % 1000);
                    hash[1] = (byte)(done % 1000 >> 8);
                    lsn.Value = done + 1;
                    assertion.Value = hash;
                    weight.Value = (done % 101) / 100.0;
                    at.Value = done;
                    insert.ExecuteNonQuery();
                }
                transaction.Commit();
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        foreach (string file in Directory.GetFiles(folder, "raw-votes.db*")) File.Delete(file);
        return seconds;
    }
}

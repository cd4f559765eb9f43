using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace StemeQL.Workloads;

/// <summary>
/// <c>write-peer</c>: writes through the standard ADO.NET API (DbBatch, single commands, Dapper) beside
/// the peer a user would pick instead: their own SQLite table (WAL, synchronous=FULL, prepared
/// inserts, the same rows per transaction), measured in the same process and run, alternating so
/// drift on a shared machine hits both sides alike. Each table prints the machine's load.
/// </summary>
internal static class WritePeer
{
    private const string VoteText = "VOTE @h WEIGHT @w";
    private const string AssertText = "ASSERT (@s, @p, @o)";
    private const int WarmRepetitions = 2;

    public static void Run(Options options)
    {
        long votes = options.Long("votes", 200_000, 20_000);
        long assertions = options.Long("assertions", 200_000, 20_000);
        int[] batches = [.. options.Text("batches", "1000,10000").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))];
        int dapperVotes = options.Int("dapper-votes", 20_000, 2_000);
        double seconds = options.Long("seconds", 3, 1);
        int writers = options.Int("writers", 16, 16);
        int targets = options.Int("targets", 1_000, 1_000);
        int reps = options.Int("reps", 5, 2);
        string root = options.Text("dir", Path.GetTempPath());
        var sections = Sections(options);

        if (sections.Contains("votes")) Votes(options, root, targets, votes, batches, reps);
        if (sections.Contains("assertions")) Assertions(options, root, assertions, batches, reps);
        if (sections.Contains("latency")) SingleLatency(options, root, seconds, reps);
        if (sections.Contains("dapper")) Dapper(options, root, targets, dapperVotes, reps);
        if (sections.Contains("writers")) Writers(options, root, writers, seconds, reps);
    }

    /// <summary>The sections <c>--only</c> names (comma-separated), every one by default.</summary>
    private static HashSet<string> Sections(Options options)
    {
        string[] all = ["votes", "assertions", "latency", "dapper", "writers"];
        string only = options.Text("only", "all");
        if (only == "all") return [.. all];
        var named = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = named.Except(all).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"--only {only}: no section {string.Join(", ", unknown)}; the sections are {string.Join(", ", all)} (or all).");
        return named;
    }

    private static void Votes(Options options, string root, int targets, long votes, int[] batches, int reps)
    {
        var votesReport = NewReport(options, $"DbBatch of parameterized VOTEs, {votes:N0} votes after a warm-up batch, {reps} repetitions");
        foreach (int batch in batches)
        {
            Compare(votesReport, $"DbBatch, {batch:N0} `{VoteText}` per batch", "votes/s", reps, options,
                () => StemeVotes(root, targets, votes, batch), () => PeerVotes(root, targets, votes, batch));
        }
        votesReport.Note("StemeQL: one DbBatch per batch, commands and parameters made with CreateBatchCommand/CreateParameter once and given new values per batch; a batch is one atomic durable write (fsync).");
        votesReport.Note("Peer: INSERT INTO votes(assertion, agent, weight) VALUES (@h, @a, @w), prepared, the same rows per transaction, synchronous=FULL (each commit fsyncs the WAL). The peer checks nothing; StemeQL checks each voted hash exists.");
        votesReport.Print();
    }

    private static void Assertions(Options options, string root, long assertions, int[] batches, int reps)
    {
        var assertReport = NewReport(options, $"DbBatch of parameterized ASSERTs, {assertions:N0} new assertions after a warm-up batch, {reps} repetitions");
        foreach (int batch in batches)
        {
            Compare(assertReport, $"DbBatch, {batch:N0} `{AssertText}` per batch", "assertions/s", reps, options,
                () => StemeAssertions(root, assertions, batch), () => PeerAssertions(root, assertions, batch));
        }
        assertReport.Note("Peer: INSERT OR IGNORE INTO assertions(hash, subject, predicate, object, agent) with a UNIQUE index on hash, the SHA-256 of the content computed by the caller, prepared, the same rows per transaction, synchronous=FULL.");
        assertReport.Print();
    }

    private static void SingleLatency(Options options, string root, double seconds, int reps)
    {
        var latencyReport = NewReport(options, $"single ASSERT round trip, 1 writer, {seconds:0} s per run, {reps} repetitions");
        var single = Runs(reps, options, () => Latency.Steme(root, 1, seconds), () => Latency.Sqlite(root, 1, seconds));
        foreach (double p in new[] { 50, 99, 99.9 })
        {
            string name = "p" + p.ToString(CultureInfo.InvariantCulture);
            latencyReport.Compare($"ASSERT {name}", "ms", single.Steme.Select(r => Stats.Percentile(r.Latencies, p)).ToList(),
                single.Peer.Select(r => Stats.Percentile(r.Latencies, p)).ToList());
        }
        latencyReport.Compare("ASSERT throughput", "writes/s", single.Steme.Select(r => r.Rate).ToList(), single.Peer.Select(r => r.Rate).ToList());
        latencyReport.Note("Peer: one INSERT per transaction into a table with a hash primary key, synchronous=FULL. Latency ratios below 1 are faster; the first 50 writes are not counted.");
        latencyReport.Print();
    }

    private static void Dapper(Options options, string root, int targets, int dapperVotes, int reps)
    {
        var dapperReport = NewReport(options, $"Dapper Execute(\"{VoteText}\", list of {dapperVotes:N0} objects), {reps} repetitions");
        foreach (bool inTransaction in new[] { false, true })
        {
            Compare(dapperReport, inTransaction ? "Dapper Execute(list) in one transaction" : "Dapper Execute(list), each command its own durable write", "votes/s", reps, options,
                () => StemeDapper(root, targets, dapperVotes, inTransaction), () => PeerDapper(root, targets, dapperVotes, inTransaction));
        }
        dapperReport.Note("Dapper runs one command per object. Without a transaction each is acknowledged durable (one fsync each, on either side); in one, the commit writes them all.");
        dapperReport.Print();
    }

    private static void Writers(Options options, string root, int writers, double seconds, int reps)
    {
        var manyReport = NewReport(options, $"{writers} writers, one ASSERT per round trip each, {seconds:0} s per run, {reps} repetitions");
        var many = Runs(reps, options, () => Latency.Steme(root, writers, seconds), () => Latency.Sqlite(root, writers, seconds));
        manyReport.Compare("ASSERT throughput", "writes/s", many.Steme.Select(r => r.Rate).ToList(), many.Peer.Select(r => r.Rate).ToList());
        foreach (double p in new[] { 50, 99 })
        {
            manyReport.Compare($"ASSERT p{p.ToString(CultureInfo.InvariantCulture)}", "ms", many.Steme.Select(r => Stats.Percentile(r.Latencies, p)).ToList(),
                many.Peer.Select(r => Stats.Percentile(r.Latencies, p)).ToList());
        }
        manyReport.Note("Each writer has its own connection (and agent); StemeQL shares one fsync among the writers waiting (group commit), SQLite serializes them.");
        manyReport.Print();
    }

    private static PeerReport NewReport(Options options, string title) =>
        new(new Report(options, options.Long("warmup", 1, 1) != 0 ? $"{title} (after {WarmRepetitions} untimed ones per side)" : title));

    private static void Compare(PeerReport report, string measure, string unit, int reps, Options options, Func<double> steme, Func<double> peer)
    {
        var runs = Runs(reps, options, steme, peer);
        report.Compare(measure, unit, runs.Steme, runs.Peer);
    }

    // Alternates the two sides, so drift on a shared machine hits both alike. Unless --warmup 0, each side first runs
    // WarmRepetitions times untimed: the process-wide warm-up calls each batch path only a few times, and until the tiered
    // JIT has optimized a path its batches run several times slower (StemeQL's first two DbBatch repetitions of 200
    // batches took 2.1–2.3 ms per 1,000-vote batch at the median, the next ones 0.45–0.53 ms; the peer's first, 2.3 ms
    // against 1.1 ms), so the median of three measured cold code, not the write path.
    private static (List<T> Steme, List<T> Peer) Runs<T>(int reps, Options options, Func<T> steme, Func<T> peer)
    {
        for (int warm = 0; warm < WarmRepetitions && options.Long("warmup", 1, 1) != 0; warm++)
        {
            steme();
            peer();
        }
        var ours = new List<T>();
        var theirs = new List<T>();
        for (int rep = 0; rep < reps; rep++)
        {
            ours.Add(steme());
            theirs.Add(peer());
            Ingest.Progress(options, rep, reps);
        }
        return (ours, theirs);
    }

    private static double StemeVotes(string root, int targets, long votes, int perBatch)
    {
        using var scratch = Scratch.Create(root, "peer-votes");
        using var connection = scratch.Open(Ingest.Agent);
        var hashes = Ingest.CreateTargets(connection, targets);
        var rows = Ingest.VoteRows(hashes, votes + perBatch).ToArray();
        var (batch, runBatch) = VoteBatch(connection, rows, perBatch);
        using (batch) return Timed(votes, perBatch, runBatch);
    }

    /// <summary>
    /// A DbBatch of <paramref name="perBatch"/> parameterized VOTEs, commands and parameters made once with
    /// CreateBatchCommand/CreateParameter as generic ADO.NET code makes them, and how to run it on
    /// <c>n</c> rows from <c>offset</c>: new values, then ExecuteNonQuery.
    /// </summary>
    public static (DbBatch Batch, Action<int, int> Run) VoteBatch(StemeConnection connection, BulkVote[] rows, int perBatch)
    {
        var batch = connection.CreateBatch();
        var values = new (DbParameter H, DbParameter W)[perBatch];
        for (int i = 0; i < perBatch; i++)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = VoteText;
            values[i] = (AddParameter(command, "h"), AddParameter(command, "w"));
            batch.BatchCommands.Add(command);
        }
        return (batch, (offset, n) =>
        {
            Trim(batch, n);
            for (int i = 0; i < n; i++)
            {
                values[i].H.Value = rows[offset + i].Assertion;
                values[i].W.Value = rows[offset + i].Weight;
            }
            batch.ExecuteNonQuery();
        });
    }

    private static double PeerVotes(string root, int targets, long votes, int perBatch)
    {
        var hashes = Enumerable.Range(0, targets).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();
        var rows = Ingest.VoteRows(hashes, votes + perBatch).ToArray();
        using var peer = PeerFile.Create(root, "CREATE TABLE votes (assertion TEXT NOT NULL, agent TEXT NOT NULL, weight REAL NOT NULL)");
        using var insert = peer.Connection.CreateCommand();
        insert.CommandText = "INSERT INTO votes (assertion, agent, weight) VALUES (@h, @a, @w)";
        var h = AddParameter(insert, "@h");
        AddParameter(insert, "@a").Value = Ingest.Agent;
        var w = AddParameter(insert, "@w");
        insert.Prepare();
        return Timed(votes, perBatch, (offset, n) =>
        {
            using var transaction = peer.Connection.BeginTransaction();
            insert.Transaction = transaction;
            for (int i = 0; i < n; i++)
            {
                h.Value = rows[offset + i].Assertion;
                w.Value = rows[offset + i].Weight;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        });
    }

    private static double StemeAssertions(string root, long count, int perBatch)
    {
        using var scratch = Scratch.Create(root, "peer-assertions");
        using var connection = scratch.Open(Ingest.Agent);
        var rows = Ingest.AssertionRows(0, count + perBatch).ToArray();
        using var batch = connection.CreateBatch();
        var values = new (DbParameter S, DbParameter P, DbParameter O)[perBatch];
        for (int i = 0; i < perBatch; i++)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = AssertText;
            values[i] = (AddParameter(command, "s"), AddParameter(command, "p"), AddParameter(command, "o"));
            batch.BatchCommands.Add(command);
        }
        return Timed(count, perBatch, (offset, n) =>
        {
            Trim(batch, n);
            for (int i = 0; i < n; i++)
            {
                var row = rows[offset + i];
                (values[i].S.Value, values[i].P.Value, values[i].O.Value) = (row.Subject, row.Predicate, row.Object);
            }
            batch.ExecuteNonQuery();
        });
    }

    private static double PeerAssertions(string root, long count, int perBatch)
    {
        var rows = Ingest.AssertionRows(0, count + perBatch).ToArray();
        using var peer = PeerFile.Create(root,
            "CREATE TABLE assertions (hash BLOB NOT NULL, subject TEXT NOT NULL, predicate TEXT NOT NULL, object, agent TEXT NOT NULL)",
            "CREATE UNIQUE INDEX assertions_hash ON assertions (hash)");
        using var insert = peer.Connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO assertions (hash, subject, predicate, object, agent) VALUES (@h, @s, @p, @o, @a)";
        var h = AddParameter(insert, "@h");
        var s = AddParameter(insert, "@s");
        var p = AddParameter(insert, "@p");
        var o = AddParameter(insert, "@o");
        AddParameter(insert, "@a").Value = Ingest.Agent;
        insert.Prepare();
        return Timed(count, perBatch, (offset, n) =>
        {
            using var transaction = peer.Connection.BeginTransaction();
            insert.Transaction = transaction;
            for (int i = 0; i < n; i++)
            {
                var row = rows[offset + i];
                // A content-addressed table of one's own: the caller hashes the content.
                h.Value = SHA256.HashData(Encoding.UTF8.GetBytes($"{row.Subject}\0{row.Predicate}\0{row.Object}"));
                (s.Value, p.Value, o.Value) = (row.Subject, row.Predicate, row.Object);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        });
    }

    private static double StemeDapper(string root, int targets, int votes, bool inTransaction)
    {
        using var scratch = Scratch.Create(root, "peer-dapper");
        using var connection = scratch.Open(Ingest.Agent);
        var hashes = Ingest.CreateTargets(connection, targets);
        return DapperRun(connection, VoteText, hashes, votes, inTransaction);
    }

    private static double PeerDapper(string root, int targets, int votes, bool inTransaction)
    {
        var hashes = Enumerable.Range(0, targets).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();
        using var peer = PeerFile.Create(root, "CREATE TABLE votes (assertion TEXT NOT NULL, agent TEXT NOT NULL, weight REAL NOT NULL)");
        return DapperRun(peer.Connection, "INSERT INTO votes (assertion, agent, weight) VALUES (@h, 'bench', @w)", hashes, votes, inTransaction);
    }

    private static double DapperRun(DbConnection connection, string sql, string[] hashes, int votes, bool inTransaction)
    {
        // Anonymous objects, as Dapper code usually passes them.
        var warm = Ingest.VoteRows(hashes, 100).Select(v => new { h = v.Assertion, w = v.Weight }).ToList();
        var list = Ingest.VoteRows(hashes, votes).Select(v => new { h = v.Assertion, w = v.Weight }).ToList();
        connection.Execute(sql, warm);
        var clock = Stopwatch.StartNew();
        using (var transaction = inTransaction ? connection.BeginTransaction() : null)
        {
            connection.Execute(sql, list, transaction);
            transaction?.Commit();
        }
        return votes / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Runs one untimed warm-up batch at offset 0, then <paramref name="count"/> rows in batches; returns rows/s.</summary>
    private static double Timed(long count, int perBatch, Action<int, int> runBatch)
    {
        runBatch(0, perBatch);
        var clock = Stopwatch.StartNew();
        for (long done = 0; done < count; done += perBatch)
            runBatch(perBatch + (int)done, (int)Math.Min(perBatch, count - done));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static void Trim(DbBatch batch, int count)
    {
        while (batch.BatchCommands.Count > count) batch.BatchCommands.RemoveAt(batch.BatchCommands.Count - 1);
    }

    private static DbParameter AddParameter(DbBatchCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>The peer's SQLite file (WAL, synchronous=FULL) with its tables, deleted afterwards.</summary>
    private sealed class PeerFile : IDisposable
    {
        private readonly string _path;

        private PeerFile(string path, SqliteConnection connection) => (_path, Connection) = (path, connection);

        public SqliteConnection Connection { get; }

        public static PeerFile Create(string root, params string[] schema)
        {
            string path = Path.Combine(root, $"stemeql-write-peer-{Guid.NewGuid():N}.db");
            var connection = RawBaselines.OpenSqlite(path, "FULL");
            foreach (string sql in schema) RawBaselines.Execute(connection, sql);
            return new PeerFile(path, connection);
        }

        public void Dispose()
        {
            Connection.Dispose();
            foreach (string file in new[] { _path, _path + "-wal", _path + "-shm" })
                if (File.Exists(file)) File.Delete(file);
        }
    }

    /// <summary>A table of StemeQL medians beside the peer's, with their ratio.</summary>
    private sealed class PeerReport
    {
        private readonly Report _report;

        public PeerReport(Report report)
        {
            _report = report;
            _report.Columns("measure", "unit", "StemeQL median", "min", "max", "SQLite peer median", "min", "max", "ratio");
        }

        public void Compare(string measure, string unit, IReadOnlyList<double> steme, IReadOnlyList<double> peer)
        {
            double ours = Stats.Median(steme), theirs = Stats.Median(peer);
            _report.Raw(measure, unit, Report.Format(ours), Report.Format(steme.Min()), Report.Format(steme.Max()),
                Report.Format(theirs), Report.Format(peer.Min()), Report.Format(peer.Max()),
                (ours / theirs).ToString("0.00", CultureInfo.InvariantCulture) + "×");
        }

        public void Note(string text) => _report.Note(text);

        public void Print()
        {
            _report.Note("ratio = StemeQL median ÷ peer median (above 1 is faster for a rate, slower for a latency).");
            _report.Print();
        }
    }
}

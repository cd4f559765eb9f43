using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace StemeQL.Workloads;

/// <summary>
/// Read latency through the provider beside the peer a user would pick instead: their own SQLite
/// table of the same shape, queried with a prepared, reused Microsoft.Data.Sqlite command (and
/// Dapper over it), in the same process and run.
/// </summary>
internal static class Reads
{
    // A class with setters: Dapper maps it by column name whatever the column's CLR type.
    private sealed class Fact
    {
        public string Subject { get; set; } = "";
        public string Predicate { get; set; } = "";
        public object? Object { get; set; }
        public double Confidence { get; set; }
    }

    private sealed class Measure(string name)
    {
        public string Name => name;
        public List<double> Micros { get; } = [];
        public long Bytes { get; set; }
        public long Ops { get; set; }
    }

    public static void Latency(Options options)
    {
        int assertions = options.Int("assertions", 200_000, 20_000);
        int ops = options.Int("ops", 20_000, 3_000);
        int reps = options.Int("reps", 5, 3);
        string root = options.Text("dir", Path.GetTempPath());
        using var scratch = Scratch.Create(root, "reads");
        Console.Error.WriteLine($"loading {assertions:N0} assertions ...");
        var ledger = Load(scratch, assertions);
        string peerPath = Path.Combine(root, $"stemeql-reads-peer-{Guid.NewGuid():N}.db");
        try
        {
            using var peer = Peer(peerPath, ledger);
            using var steme = scratch.Open("reader");
            var report = new Report(options, $"read latency over {assertions:N0} assertions, {ops:N0} reads per repetition, {reps} repetitions");
            report.Columns("read", "StemeQL p50 µs", "p99 µs", "alloc B/read", "SQLite peer p50 µs", "p99 µs", "p50 ratio", "p99 ratio");
            var random = new Random(7);
            var keys = Enumerable.Range(0, ops).Select(_ => ledger[random.Next(ledger.Count)]).ToArray();

            Compare(report, "consensus lookup by subject + predicate (prepared command)", reps,
                () => ViewLookup(steme, keys, "SELECT object, confidence FROM assertions USING LENS consensus WHERE subject = @s AND predicate = @p"),
                () => ViewLookup(peer, keys, "SELECT object, confidence FROM consensus WHERE subject = @s AND predicate = @p"));
            Compare(report, "consensus lookup by subject + predicate (Dapper QueryFirstOrDefault)", reps,
                () => DapperLookup(steme, keys, "SELECT subject, predicate, object, confidence FROM assertions USING LENS consensus WHERE subject = @s AND predicate = @p"),
                () => DapperLookup(peer, keys, "SELECT subject, predicate, object, confidence FROM consensus WHERE subject = @s AND predicate = @p"));
            Compare(report, "ledger lookup by hash", reps,
                () => Keyed(steme, "SELECT subject FROM assertions WHERE hash = @k", keys.Select(k => (object)k.Hash).ToArray()),
                () => Keyed(peer, "SELECT subject FROM ledger WHERE hash = @k", keys.Select(k => (object)Convert.FromHexString(k.Hash)).ToArray()));
            Compare(report, "newest 10 by agent", reps,
                () => Keyed(steme, "SELECT hash FROM assertions WHERE agent = @k ORDER BY lsn DESC LIMIT 10", keys.Take(ops / 10).Select(k => (object)k.Agent).ToArray()),
                () => Keyed(peer, "SELECT hash FROM ledger WHERE agent = @k ORDER BY lsn DESC LIMIT 10", keys.Take(ops / 10).Select(k => (object)k.Agent).ToArray()));
            Compare(report, "count(*) over the ledger", reps,
                () => Repeat(steme, "SELECT count(*) FROM assertions", 20), () => Repeat(peer, "SELECT count(*) FROM ledger", 20));
            Compare(report, "GROUP BY predicate over the consensus view", reps,
                () => Repeat(steme, "SELECT predicate, count(*) FROM assertions USING LENS consensus GROUP BY predicate", 5),
                () => Repeat(peer, "SELECT predicate, count(*) FROM consensus GROUP BY predicate", 5));
            Compare(report, "consensus lookup beside a busy writer (prepared command)", reps,
                () => WhileWriting(BusyWriter.OnStemeQL(scratch), () => ViewLookup(steme, keys, "SELECT object, confidence FROM assertions USING LENS consensus WHERE subject = @s AND predicate = @p")),
                () => WhileWriting(BusyWriter.OnPeer(peerPath), () => ViewLookup(peer, keys, "SELECT object, confidence FROM consensus WHERE subject = @s AND predicate = @p")));
            report.Note("Beside a busy writer: another connection writes new facts the whole time (StemeQL: the bulk loader, 10,000 per call; the peer: 10,000 rows per transaction into its ledger and view), under the default consistency.");
            report.Note("Each cell is the median over repetitions of that repetition's percentile; alloc is managed bytes allocated per read on the reading thread.");
            report.Note("The peer: one SQLite file (WAL) with ledger(hash PRIMARY KEY, subject, predicate, object, agent, lsn) indexed on (subject, predicate) and (agent, lsn), and consensus(subject, predicate, object, confidence) keyed on (subject, predicate), filled with the same rows.");
            report.Print();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (string file in new[] { peerPath, peerPath + "-wal", peerPath + "-shm" })
                if (File.Exists(file)) File.Delete(file);
        }
    }

    private sealed record Row(string Hash, string Subject, string Predicate, long Object, string Agent, long Lsn);

    private static List<Row> Load(Scratch scratch, int count)
    {
        using var writer = scratch.Open("loader");
        var rows = Enumerable.Range(0, count).Select(i => new BulkAssertion(
            "s" + (i / 4).ToString(CultureInfo.InvariantCulture), "p" + (i % 4).ToString(CultureInfo.InvariantCulture), (long)i));
        new StemeBulkLoader(writer).WriteAssertions(rows);
        var ledger = new List<Row>(count);
        // Reading back millions of rows (and waiting for the views to hold them) outlasts the 30 s default.
        using var read = new StemeCommand("SELECT hash, subject, predicate, object, agent, lsn FROM assertions", writer) { CommandTimeout = 0 };
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
                ledger.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt64(5)));
        }
        // Spread the rows over agents in the peer as the provider sees them: one agent wrote them all here.
        return ledger;
    }

    private static SqliteConnection Peer(string path, List<Row> ledger)
    {
        var peer = RawBaselines.OpenSqlite(path, "NORMAL");
        RawBaselines.Execute(peer, "CREATE TABLE ledger(hash BLOB PRIMARY KEY, subject TEXT NOT NULL, predicate TEXT NOT NULL, object, agent TEXT NOT NULL, lsn INTEGER NOT NULL)");
        RawBaselines.Execute(peer, "CREATE INDEX ledger_sp ON ledger(subject, predicate)");
        RawBaselines.Execute(peer, "CREATE INDEX ledger_agent ON ledger(agent, lsn)");
        RawBaselines.Execute(peer, "CREATE TABLE consensus(subject TEXT NOT NULL, predicate TEXT NOT NULL, object, confidence REAL NOT NULL, PRIMARY KEY(subject, predicate)) WITHOUT ROWID");
        using var transaction = peer.BeginTransaction();
        using var insert = new SqliteCommand("INSERT INTO ledger VALUES ($h, $s, $p, $o, $a, $l)", peer, transaction);
        using var view = new SqliteCommand("INSERT OR REPLACE INTO consensus VALUES ($s, $p, $o, 1.0)", peer, transaction);
        foreach (var row in ledger) InsertPeerRow(insert, view, Convert.FromHexString(row.Hash), row.Subject, row.Predicate, row.Object, row.Agent, row.Lsn);
        transaction.Commit();
        RawBaselines.Execute(peer, "ANALYZE");
        return peer;
    }

    /// <summary>One fact into the peer: its ledger row (<c>$h $s $p $o $a $l</c>) and its view row (<c>$s $p $o</c>).</summary>
    internal static void InsertPeerRow(SqliteCommand insert, SqliteCommand view, byte[] hash, string subject, string predicate, long value, string agent, long lsn)
    {
        insert.Parameters.Clear();
        insert.Parameters.AddWithValue("$h", hash);
        insert.Parameters.AddWithValue("$s", subject);
        insert.Parameters.AddWithValue("$p", predicate);
        insert.Parameters.AddWithValue("$o", value);
        insert.Parameters.AddWithValue("$a", agent);
        insert.Parameters.AddWithValue("$l", lsn);
        insert.ExecuteNonQuery();
        view.Parameters.Clear();
        view.Parameters.AddWithValue("$s", subject);
        view.Parameters.AddWithValue("$p", predicate);
        view.Parameters.AddWithValue("$o", value);
        view.ExecuteNonQuery();
    }

    private static void Compare(Report report, string name, int reps, Func<Measure> steme, Func<Measure> peer)
    {
        var ours = new List<Measure>();
        var theirs = new List<Measure>();
        steme();
        peer();
        for (int rep = 0; rep < reps; rep++)
        {
            // Alternate, so drift on a shared machine hits both sides alike.
            ours.Add(steme());
            theirs.Add(peer());
        }
        double Median(List<Measure> runs, double p) => Stats.Median(runs.Select(r => Stats.Percentile(r.Micros, p)).ToList());
        double p50 = Median(ours, 50), p99 = Median(ours, 99), peer50 = Median(theirs, 50), peer99 = Median(theirs, 99);
        double bytes = Stats.Median(ours.Select(r => (double)r.Bytes / Math.Max(1, r.Ops)).ToList());
        report.Raw(name, Report.Format(p50), Report.Format(p99), Report.Format(bytes), Report.Format(peer50), Report.Format(peer99),
            (p50 / peer50).ToString("0.00", CultureInfo.InvariantCulture) + "×", (p99 / peer99).ToString("0.00", CultureInfo.InvariantCulture) + "×");
    }

    private static Measure WhileWriting(BusyWriter writer, Func<Measure> read)
    {
        using (writer)
        {
            // Let the writer get going (and the views fall behind) before the reads start.
            while (writer.Rows < 20_000) Thread.Sleep(10);
            return read();
        }
    }

    private static Measure Time(string name, int count, Action<int> read)
    {
        var measure = new Measure(name);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            read(i);
            measure.Micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        measure.Bytes = GC.GetAllocatedBytesForCurrentThread() - before - count * 8L; // minus the samples list's growth, roughly
        measure.Ops = count;
        return measure;
    }

    // The same prepared, reused command on either side: only the parameter values change per read.
    private static Measure ViewLookup(DbConnection connection, Row[] keys, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var s = Parameter(command, "@s");
        var p = Parameter(command, "@p");
        command.Prepare();
        return Time("view", keys.Length, i =>
        {
            s.Value = keys[i].Subject;
            p.Value = keys[i].Predicate;
            using var reader = command.ExecuteReader();
            if (!reader.Read()) throw new InvalidOperationException($"No view row for {keys[i].Subject}/{keys[i].Predicate}.");
            _ = reader.GetDouble(1);
        });
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = "";
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static Measure DapperLookup(DbConnection connection, Row[] keys, string sql) =>
        Time("dapper", keys.Length, i => _ = connection.QueryFirstOrDefault<Fact>(sql, new { s = keys[i].Subject, p = keys[i].Predicate })
            ?? throw new InvalidOperationException("No row."));

    private static Measure Keyed(DbConnection connection, string sql, object[] keys)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = Parameter(command, "@k");
        parameter.Value = keys[0];
        command.Prepare();
        return Time("keyed", keys.Length, i =>
        {
            parameter.Value = keys[i];
            using var reader = command.ExecuteReader();
            if (!reader.Read()) throw new InvalidOperationException($"No row for {keys[i]}.");
            while (reader.Read()) { }
        });
    }

    private static Measure Repeat(DbConnection connection, string sql, int times)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Prepare();
        return Time("repeat", times, _ =>
        {
            using var reader = command.ExecuteReader();
            while (reader.Read()) { }
        });
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace StemeQL.Workloads;

/// <summary>
/// <c>pg-peer</c>: the PostgreSQL tier beside what a user would write with Npgsql alone, in the same
/// run and on the same server, alternating: a prepared consensus lookup against a prepared SELECT of
/// the same row from a table of one's own, and the bulk loader against a binary COPY of the same rows.
/// The server comes from <c>--pg</c>, or STEMEQL_TEST_PG (tools/test-servers/postgres.sh start writes it).
/// </summary>
internal static class PgPeer
{
    public static void Run(Options options)
    {
        string server = options.Text("pg", Environment.GetEnvironmentVariable("STEMEQL_TEST_PG") ?? "");
        if (server.Length == 0)
            throw new InvalidOperationException("Name a PostgreSQL server: --pg 'Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres' (or start tools/test-servers/postgres.sh and source its .run/postgres.env).");
        int sets = options.Int("sets", 20_000, 2_000);
        int lookups = options.Int("lookups", 20_000, 2_000);
        long rows = options.Long("assertions", 200_000, 20_000);
        int reps = options.Int("reps", 3, 1);
        int batch = options.Int("batch", StemeBulkLoader.DefaultBatchSize, StemeBulkLoader.DefaultBatchSize);

        int block = options.Int("block", 1_000, 1_000);

        var lookupReport = new Report(options, $"consensus lookup on PostgreSQL, {sets:N0} (subject, predicate) sets, {lookups:N0} lookups per side per run, {reps} repetitions");
        lookupReport.Columns("measure", "unit", "StemeQL median", "raw Npgsql median", "ratio");
        var ours = new List<Lookups>();
        var theirs = new List<Lookups>();
        for (int rep = 0; rep < reps; rep++)
        {
            using var schema = PgSchemaScope.Create(server);
            using var steme = StemeLookup(schema, sets);
            using var raw = NpgsqlLookup(schema, sets);
            var (o, t) = Interleaved(steme.Run, raw.Run, sets, lookups, block);
            ours.Add(o);
            theirs.Add(t);
            Ingest.Progress(options, rep, reps);
        }
        // CPU and allocation per lookup are the client's own cost, which the load of a busy machine distorts less than time.
        foreach (var (measure, unit, of) in new (string, string, Func<Lookups, double>)[]
            { ("lookup p50", "µs", l => l.P50), ("lookup thread CPU per lookup", "µs", l => l.CpuMicroseconds), ("allocated per lookup", "bytes", l => l.Bytes) })
        {
            var o = ours.Select(of).ToList();
            var t = theirs.Select(of).ToList();
            lookupReport.Raw(measure, unit, Report.Format(Stats.Median(o)), Report.Format(Stats.Median(t)), Ratio(o, t));
        }
        lookupReport.Raw("lookup p50 ratio per run", "×", string.Join(" ", ours.Zip(theirs, (o, t) => (o.P50 / t.P50).ToString("0.00", CultureInfo.InvariantCulture))), "", "");
        lookupReport.Note("StemeQL: a prepared `SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'` (Storage=postgres). Peer: a prepared `SELECT object FROM facts WHERE subject = $1 AND predicate = 'p'` on a table with that primary key. Target: ≤ 1.3×.");
        lookupReport.Note($"Both sides run in one repetition, interleaved in blocks of {block:N0} lookups (--block) of the same keys, the side that goes first alternating, so a busy machine's bursts fall on both alike; each side's p50, its lookup thread's CPU and its allocations are over its own blocks.");
        lookupReport.Print();

        var ingestReport = new Report(options, $"bulk ingest into PostgreSQL, {rows:N0} new assertions, {reps} repetitions");
        ingestReport.Columns("measure", "unit", "StemeQL median", "raw binary COPY median", "ratio", "COPY, access indexes", "ratio");
        var ourLoads = new List<Load>();
        var theirLoads = new List<Load>();
        var indexedLoads = new List<Load>();
        for (int rep = 0; rep < reps; rep++)
        {
            using var schema = PgSchemaScope.Create(server);
            ourLoads.Add(StemeIngest(schema, rep, rows, batch));
            theirLoads.Add(CopyIngest(schema, rep, rows, PeerTable.HashIndexOnly));
            indexedLoads.Add(CopyIngest(schema, rep, rows, PeerTable.AccessIndexes));
            Ingest.Progress(options, rep, reps);
        }
        // The client's CPU per row is what a busy machine distorts least; the server's is read from PostgreSQL's side.
        foreach (var (measure, unit, of) in new (string, string, Func<Load, double>)[]
            { ("assertions/s", "rows/s", l => l.Rate), ("client CPU per assertion", "µs", l => l.CpuMicroseconds), ("allocated per assertion", "bytes", l => l.Bytes) })
        {
            var o = ourLoads.Select(of).ToList();
            var t = theirLoads.Select(of).ToList();
            var x = indexedLoads.Select(of).ToList();
            ingestReport.Raw(measure, unit, Report.Format(Stats.Median(o)), Report.Format(Stats.Median(t)), Ratio(o, t), Report.Format(Stats.Median(x)), Ratio(o, x));
        }
        ingestReport.Note("StemeQL: StemeBulkLoader.WriteAssertions (hashes, LSNs, views folded in each write's transaction). Peer: one binary COPY of (hash, subject, predicate, object, agent) into a table with a unique hash index, the SHA-256 computed by the caller. Targets: ≥ 200,000 assertions/s and ≥ 0.85× the COPY.");
        ingestReport.Note("COPY, access indexes: the same COPY into a table that also has the indexes a user needs to read it the ways StemeQL's ledger is read (by subject and predicate, by predicate, by agent), for context: how much of the gap is indexing rather than the views.");
        ingestReport.Print();
    }

    private static string Ratio(List<double> ours, List<double> theirs) =>
        (Stats.Median(ours) / Stats.Median(theirs)).ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>One side's lookups of a run: the latency's median, and the lookup thread's CPU time and allocations per lookup.</summary>
    private sealed record Lookups(double P50, double CpuMicroseconds, double Bytes);

    /// <summary>A prepared lookup of one key (a set's number) and what it holds open.</summary>
    private sealed class Lookup(Func<int, object?> run, params IDisposable[] owned) : IDisposable
    {
        public Func<int, object?> Run => run;

        public void Dispose()
        {
            foreach (var resource in owned.Reverse()) resource.Dispose();
        }
    }

    private static Lookup StemeLookup(PgSchemaScope schema, int sets)
    {
        var connection = new StemeConnection(schema.StemeConnectionString);
        connection.Open();
        new StemeBulkLoader(connection).WriteAssertions(Enumerable.Range(0, sets).Select(i => new BulkAssertion("s" + i, "p", "v" + i)));
        // As the peer's table is: vacuumed and analyzed now, so autovacuum has nothing left to do on these tables
        // during the timed loop (on 2 cores its passes over the rows just written took time from the lookups).
        using (var admin = schema.OpenNpgsql()) VacuumSchema(admin);
        var command = new StemeCommand("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'", connection);
        var s = command.Parameters.Add(new StemeParameter("s", "s0"));
        command.Prepare();
        return new Lookup(i => { s.Value = "s" + i; return command.ExecuteScalar(); }, connection, command);
    }

    private static Lookup NpgsqlLookup(PgSchemaScope schema, int sets)
    {
        var connection = schema.OpenNpgsql();
        Execute(connection, "CREATE TABLE facts(subject text, predicate text, object text, PRIMARY KEY(subject, predicate))");
        using (var writer = connection.BeginBinaryImport("COPY facts (subject, predicate, object) FROM STDIN (FORMAT BINARY)"))
        {
            for (int i = 0; i < sets; i++) writer.WriteRow("s" + i, "p", "v" + i);
            writer.Complete();
        }
        Execute(connection, "VACUUM (ANALYZE) facts");
        var command = new NpgsqlCommand("SELECT object FROM facts WHERE subject = $1 AND predicate = 'p'", connection);
        var s = command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = "s0" });
        command.Prepare();
        return new Lookup(i => { s.Value = "s" + i; return command.ExecuteScalar(); }, connection, command);
    }

    // Both sides over the same keys in alternating blocks, the side that goes first swapped each block.
    private static (Lookups Ours, Lookups Theirs) Interleaved(Func<int, object?> ours, Func<int, object?> theirs, int sets, int lookups, int block)
    {
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            int key = random.Next(sets);
            Check(ours(key));
            Check(theirs(key));
        }
        var keys = new int[lookups];
        for (int i = 0; i < lookups; i++) keys[i] = random.Next(sets);
        var a = new Side(ours, lookups);
        var b = new Side(theirs, lookups);
        for (int from = 0, n = 0; from < lookups; from += block, n++)
        {
            int to = Math.Min(lookups, from + block);
            var (first, second) = n % 2 == 0 ? (a, b) : (b, a);
            first.Time(keys, from, to);
            second.Time(keys, from, to);
        }
        return (a.Result(), b.Result());
    }

    /// <summary>One side's times, thread CPU and allocations, summed over its blocks.</summary>
    private sealed class Side(Func<int, object?> lookup, int lookups)
    {
        private readonly double[] _times = new double[lookups];
        private double _cpu;
        private long _allocated;

        public void Time(int[] keys, int from, int to)
        {
            double cpu = ThreadCpu.Microseconds();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            for (int i = from; i < to; i++)
            {
                long start = Stopwatch.GetTimestamp();
                object? value = lookup(keys[i]);
                _times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                Check(value);
            }
            _allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
            _cpu += ThreadCpu.Microseconds() - cpu;
        }

        public Lookups Result() => new(Stats.Percentile(_times, 50), _cpu / lookups, _allocated / (double)lookups);
    }

    private static void Check(object? value)
    {
        if (value is not string) throw new InvalidOperationException("A lookup found no row: the workload is broken.");
    }

    /// <summary>One load: rows per second, and the process's CPU time and allocations per row.</summary>
    private sealed record Load(double Rate, double CpuMicroseconds, double Bytes);

    private static Load Measure(long count, Func<long> load)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        long written = load();
        double seconds = clock.Elapsed.TotalSeconds;
        if (written != count) throw new InvalidOperationException($"The load wrote {written} of {count} rows.");
        return new Load(count / seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count,
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count);
    }

    private static Load StemeIngest(PgSchemaScope schema, int rep, long count, int batch)
    {
        using var connection = new StemeConnection(schema.StemeConnectionString);
        connection.Open();
        return Measure(count, () => new StemeBulkLoader(connection) { BatchSize = batch }.WriteAssertions(Ingest.AssertionRows(rep, count)));
    }

    private enum PeerTable { HashIndexOnly, AccessIndexes }

    private static Load CopyIngest(PgSchemaScope schema, int rep, long count, PeerTable table)
    {
        using var connection = schema.OpenNpgsql();
        string name = table == PeerTable.HashIndexOnly ? "peer_assertions" : "peer_indexed_assertions";
        Execute(connection, $"CREATE TABLE {name}(hash bytea NOT NULL UNIQUE, subject text, predicate text, object text, agent text)");
        if (table == PeerTable.AccessIndexes)
        {
            Execute(connection, $"CREATE INDEX {name}_key ON {name}(subject, predicate)");
            Execute(connection, $"CREATE INDEX {name}_predicate ON {name}(predicate)");
            Execute(connection, $"CREATE INDEX {name}_agent ON {name}(agent)");
        }
        return Measure(count, () =>
        {
            using var writer = connection.BeginBinaryImport($"COPY {name} (hash, subject, predicate, object, agent) FROM STDIN (FORMAT BINARY)");
            foreach (var row in Ingest.AssertionRows(rep, count))
            {
                string obj = (string)row.Object!;
                byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(row.Subject + "\0" + row.Predicate + "\0" + obj + "\0" + Ingest.Agent));
                writer.WriteRow(hash, row.Subject, row.Predicate, obj, Ingest.Agent);
            }
            return (long)writer.Complete();
        });
    }

    // VACUUM (ANALYZE) of every table in the connection's schema (VACUUM takes no schema, and runs outside a transaction).
    private static void VacuumSchema(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        using (var list = new NpgsqlCommand("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()", connection))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        Execute(connection, "VACUUM (ANALYZE) " + string.Join(", ", tables));
    }

    internal static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

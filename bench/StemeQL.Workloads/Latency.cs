using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace StemeQL.Workloads;

/// <summary>
/// <c>assert-latency</c>: one ASSERT per round trip, acknowledged durable, from 1 and from 16 writer
/// threads (each with its own connection and agent), beside a raw file append + fsync per write and
/// raw SQLite (WAL, synchronous=FULL) with one INSERT per transaction, on the same thread counts.
/// </summary>
internal static class Latency
{
    private const int Warmup = 50;

    public static void Run(Options options)
    {
        double seconds = options.Long("seconds", 5, 1);
        int reps = options.Int("reps", 5, 2);
        string threadList = options.Text("threads", "1,16");
        string root = options.Text("dir", Path.GetTempPath());
        int[] threadCounts = [.. threadList.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture))];

        var report = new Report(options, $"single-statement write round trip, {seconds:0} s per run, {reps} repetitions");
        foreach (int threads in threadCounts)
        {
            var steme = new Runs();
            var raw = new Runs();
            var sqlite = new Runs();
            var ingestorCpu = new List<double>();
            var failures = new List<string>();
            for (int rep = 0; rep < reps; rep++)
            {
                // A run whose store fails is reported, not hidden in the medians.
                try
                {
                    steme.Add(Steme(root, threads, seconds, ingestorCpu));
                }
                catch (StemeException error)
                {
                    failures.Add(error.Message);
                }
                raw.Add(RawAppend(root, threads, seconds));
                sqlite.Add(Sqlite(root, threads, seconds));
                Ingest.Progress(options, rep, reps);
            }
            string who = threads == 1 ? "1 writer" : $"{threads} writers";
            if (failures.Count > 0)
                report.Note($"{failures.Count} of {reps} StemeQL runs with {who} failed and are left out of the medians: {string.Join(" | ", failures.Distinct())}");
            foreach (var (name, unit, mine, rawValues, sqliteValues) in new[]
            {
                ("p50", "ms", steme.P50, raw.P50, sqlite.P50),
                ("p99", "ms", steme.P99, raw.P99, sqlite.P99),
                ("p99.9", "ms", steme.P999, raw.P999, sqlite.P999),
                ("max", "ms", steme.Max, raw.Max, sqlite.Max),
                ("mean", "ms", steme.Mean, raw.Mean, sqlite.Mean),
                ("throughput", "writes/s", steme.Rate, raw.Rate, sqlite.Rate),
            })
            {
                report.Row($"ASSERT {name}, {who}", unit, mine, "raw append + fsync per write", rawValues);
                report.Row($"ASSERT {name}, {who}", unit, mine, "SQLite WAL, synchronous=FULL, 1 INSERT/txn", sqliteValues);
            }
            // On 2 cores the ingestor's share is CPU the writers and the committing thread do not get.
            if (ingestorCpu.Count > 0)
                report.Note($"{who}: the ingestor thread's CPU per acknowledged write, median of runs, {Stats.Median(ingestorCpu):0.0} µs " +
                    $"(at the median rate, {Stats.Median(ingestorCpu) * Stats.Median(steme.Rate) / 1e6:0.00} cores).");
        }
        report.Note("ratio = StemeQL median ÷ baseline median (below 100% is faster for latency, slower for throughput).");
        report.Note("Raw append: the writers share one file and take turns (a lock), each write is ~120 bytes then Flush(true); there is no group commit, which is what the journal adds.");
        report.Note($"The first {Warmup} writes of each thread are not counted.");
        report.Print();
    }

    private sealed class Runs
    {
        public List<double> P50 { get; } = [];
        public List<double> P99 { get; } = [];
        public List<double> P999 { get; } = [];
        public List<double> Max { get; } = [];
        public List<double> Mean { get; } = [];
        public List<double> Rate { get; } = [];

        public void Add((List<double> Latencies, double Rate) run)
        {
            P50.Add(Stats.Percentile(run.Latencies, 50));
            P99.Add(Stats.Percentile(run.Latencies, 99));
            P999.Add(Stats.Percentile(run.Latencies, 99.9));
            Max.Add(run.Latencies.Count == 0 ? double.NaN : run.Latencies.Max());
            Mean.Add(run.Latencies.Count == 0 ? double.NaN : run.Latencies.Average());
            Rate.Add(run.Rate);
        }
    }

    /// <summary>
    /// One ASSERT per round trip from <paramref name="threads"/> writers on a fresh folder: every latency (ms) and the rate;
    /// with <paramref name="ingestorCpu"/>, adds the ingestor thread's CPU (µs) per write of the timed run to it.
    /// </summary>
    internal static (List<double> Latencies, double Rate) Steme(string root, int threads, double seconds, List<double>? ingestorCpu = null)
    {
        using var scratch = Scratch.Create(root, "latency");
        var connections = Enumerable.Range(0, threads).Select(t => scratch.Open("w" + t.ToString(CultureInfo.InvariantCulture))).ToArray();
        try
        {
            var cpuStart = IngestorCpu.Snapshot();
            var run = Measure(threads, seconds, t =>
            {
                var command = new StemeCommand("ASSERT (@s, 'p', @o)", connections[t]);
                command.Parameters.AddWithValue("s", "s" + t.ToString(CultureInfo.InvariantCulture));
                var value = command.Parameters.AddWithValue("o", 0L);
                long i = 0;
                return () =>
                {
                    value.Value = i++;
                    command.ExecuteNonQuery();
                };
            });
            // Warm-up writes included: the ingestor applies them during the timed run too.
            double cpu = IngestorCpu.Since(cpuStart);
            if (ingestorCpu is not null && !double.IsNaN(cpu)) ingestorCpu.Add(cpu / (run.Rate * seconds + threads * Warmup));
            return run;
        }
        finally
        {
            foreach (var connection in connections) connection.Dispose();
        }
    }

    private static (List<double>, double) RawAppend(string root, int threads, double seconds)
    {
        using var scratch = Scratch.Create(root, "latency-raw");
        Directory.CreateDirectory(scratch.Path);
        using var file = new FileStream(Path.Combine(scratch.Path, "raw.bin"), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
        var gate = new Lock();
        var record = new byte[120];
        return Measure(threads, seconds, _ => () =>
        {
            lock (gate)
            {
                file.Write(record);
                file.Flush(flushToDisk: true);
            }
        });
    }

    /// <summary>The same through raw SQLite (WAL, synchronous=FULL, one INSERT per transaction).</summary>
    internal static (List<double> Latencies, double Rate) Sqlite(string root, int threads, double seconds)
    {
        using var scratch = Scratch.Create(root, "latency-sqlite");
        Directory.CreateDirectory(scratch.Path);
        string path = Path.Combine(scratch.Path, "raw.db");
        using (var setup = RawBaselines.OpenSqlite(path, "FULL"))
            RawBaselines.Execute(setup, "CREATE TABLE assertions (hash BLOB PRIMARY KEY, subject TEXT, predicate TEXT, object, agent TEXT, lsn INTEGER)");
        var connections = Enumerable.Range(0, threads).Select(_ => RawBaselines.OpenSqlite(path, "FULL")).ToArray();
        try
        {
            return Measure(threads, seconds, t =>
            {
                var command = connections[t].CreateCommand();
                command.CommandText = "INSERT INTO assertions VALUES ($hash, $s, 'p', $o, $agent, $o)";
                var hash = command.Parameters.Add("$hash", SqliteType.Blob);
                command.Parameters.AddWithValue("$s", "s" + t.ToString(CultureInfo.InvariantCulture));
                var value = command.Parameters.Add("$o", SqliteType.Integer);
                command.Parameters.AddWithValue("$agent", "w" + t.ToString(CultureInfo.InvariantCulture));
                long i = 0;
                return () =>
                {
                    hash.Value = Guid.NewGuid().ToByteArray();
                    value.Value = i++;
                    command.ExecuteNonQuery();
                };
            });
        }
        finally
        {
            foreach (var connection in connections) connection.Dispose();
        }
    }

    /// <summary>Runs one write loop per thread for <paramref name="seconds"/>; returns every latency (ms) after warm-up and the total rate.</summary>
    private static (List<double> Latencies, double Rate) Measure(int threads, double seconds, Func<int, Action> makeWrite)
    {
        var writes = Enumerable.Range(0, threads).Select(makeWrite).ToArray();
        var latencies = new List<double>[threads];
        using var start = new Barrier(threads + 1);
        long counted = 0;
        Exception? failure = null;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var mine = new List<double>(100_000);
            latencies[t] = mine;
            try
            {
                for (int i = 0; i < Warmup; i++) writes[t]();
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref failure, error, null);
            }
            start.SignalAndWait();
            var deadline = Stopwatch.StartNew();
            try
            {
                while (deadline.Elapsed.TotalSeconds < seconds && Volatile.Read(ref failure) is null)
                {
                    long before = Stopwatch.GetTimestamp();
                    writes[t]();
                    mine.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                }
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref failure, error, null);
            }
            Interlocked.Add(ref counted, mine.Count);
        }) { IsBackground = true }).ToArray();
        foreach (var worker in workers) worker.Start();
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var worker in workers) worker.Join();
        double elapsed = clock.Elapsed.TotalSeconds;
        if (failure is not null) throw failure is StemeException ? failure : new InvalidOperationException("A writer failed.", failure);
        return ([.. latencies.SelectMany(l => l)], counted / elapsed);
    }
}

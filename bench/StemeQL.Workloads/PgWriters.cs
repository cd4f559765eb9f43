using System.Diagnostics;
using System.Globalization;

namespace StemeQL.Workloads;

/// <summary>
/// <c>pg-writers</c>: 1, 4 and 16 writers (<c>--writers</c>) across 2 OS processes (one process for one writer) on
/// one PostgreSQL database, each writer a StemeConnection that runs single <c>ASSERT</c>s for <c>--seconds</c>:
/// assertions/s of all, the latency of one write, and at the end whether the views hold every set the ledger
/// does (they are folded in each write's transaction, so a committed write is visible to every process: the
/// views' lag is zero by construction, and this checks it).
/// </summary>
internal static class PgWriters
{
    /// <summary>The hidden command a writer process runs.</summary>
    public const string ChildCommand = "pg-writers-child";

    private const string ConnectionVariable = "STEMEQL_BENCH_PG_WRITERS";

    public static void Run(Options options)
    {
        string server = options.Text("pg", Environment.GetEnvironmentVariable("STEMEQL_TEST_PG") ?? "");
        if (server.Length == 0)
            throw new InvalidOperationException("Name a PostgreSQL server: --pg 'Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres' (or start tools/test-servers/postgres.sh and source its .run/postgres.env).");
        int[] counts = [.. options.Text("writers", "1,4,16").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))];
        int seconds = options.Int("seconds", 10, 2);
        int reps = options.Int("reps", 3, 1);

        var report = new Report(options, $"writers on one PostgreSQL database across 2 processes, {seconds} s each, {reps} repetitions");
        report.Columns("writers", "processes", "assertions/s median", "write p50 µs", "write p99 µs", "views hold every set");
        foreach (int writers in counts)
        {
            var rates = new List<double>();
            var p50s = new List<double>();
            var p99s = new List<double>();
            bool consistent = true;
            int processes = Math.Min(2, writers);
            for (int rep = 0; rep < reps; rep++)
            {
                using var schema = PgSchemaScope.Create(server);
                // Created once here, so the writers do not race to create it.
                using (var first = new StemeConnection(schema.StemeConnectionString)) first.Open();
                var results = RunProcesses(schema.StemeConnectionString, writers, processes, seconds);
                rates.Add(results.Sum(r => r.Writes) / (double)seconds);
                p50s.Add(Stats.Median([.. results.Select(r => r.P50)]));
                p99s.Add(results.Max(r => r.P99));
                consistent &= ViewsHoldEverySet(schema);
            }
            report.Raw(writers.ToString(CultureInfo.InvariantCulture), processes.ToString(CultureInfo.InvariantCulture),
                Report.Format(Stats.Median(rates)), Report.Format(Stats.Median(p50s)), Report.Format(Stats.Median(p99s)), consistent ? "yes" : "**no**");
        }
        report.Note("Each writer: its own StemeConnection (Storage=postgres) and agent, one `ASSERT (@s, 'p', @o)` per round trip on a subject of its own, so writers contend only for the store's clock lock. Latency: the median of the processes' p50s and the worst p99. Views' lag: none, the views are folded in each write's transaction; the last column checks that mv_set holds every (subject, predicate) of the ledger.");
        report.Print();
    }

    /// <summary>A writer process: <c>--writers</c> threads for <c>--seconds</c>, starting at <c>--start</c> (UTC ticks); prints writes, p50 and p99 in µs.</summary>
    public static void Child(Options options)
    {
        string connectionString = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{ChildCommand} is started by pg-writers, which sets {ConnectionVariable}.");
        int writers = options.Int("writers", 1, 1);
        int seconds = options.Int("seconds", 10, 2);
        int process = options.Int("process", 0, 0);
        var start = new DateTime(options.Long("start", DateTime.UtcNow.Ticks, DateTime.UtcNow.Ticks), DateTimeKind.Utc);
        var latencies = new List<double>[writers];
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() => latencies[w] = Write(connectionString, $"w{process}-{w}", start, seconds))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{all.Count} {Stats.Percentile(all, 50):0.0} {Stats.Percentile(all, 99):0.0}"));
    }

    private static List<double> Write(string connectionString, string agent, DateTime start, int seconds)
    {
        using var connection = new StemeConnection(new StemeConnectionStringBuilder(connectionString) { Agent = agent }.ConnectionString);
        connection.Open();
        using var command = new StemeCommand("ASSERT (@s, 'p', @o)", connection);
        var s = command.Parameters.Add(new StemeParameter("s", agent));
        var o = command.Parameters.Add(new StemeParameter("o", 0L));
        command.Prepare();
        var latencies = new List<double>();
        while (DateTime.UtcNow < start) Thread.Sleep(1);
        var until = start.AddSeconds(seconds);
        for (long i = 0; DateTime.UtcNow < until; i++)
        {
            s.Value = agent + "-" + (i % 1_000).ToString(CultureInfo.InvariantCulture);
            o.Value = i;
            long began = Stopwatch.GetTimestamp();
            command.ExecuteNonQuery();
            latencies.Add(Stopwatch.GetElapsedTime(began).TotalMicroseconds);
        }
        return latencies;
    }

    private static List<(long Writes, double P50, double P99)> RunProcesses(string connectionString, int writers, int processes, int seconds)
    {
        // Both processes start writing at the same moment, after their start-up.
        long start = DateTime.UtcNow.AddSeconds(3).Ticks;
        var children = Enumerable.Range(0, processes).Select(p =>
        {
            int share = writers / processes + (p < writers % processes ? 1 : 0);
            var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            // Run as `dotnet StemeQL.Workloads.dll` or as the app host: the same program either way.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") info.ArgumentList.Add(typeof(PgWriters).Assembly.Location);
            foreach (string arg in new[] { ChildCommand, "--writers", share.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
                "--process", p.ToString(CultureInfo.InvariantCulture), "--start", start.ToString(CultureInfo.InvariantCulture), "--warmup", "0" })
                info.ArgumentList.Add(arg);
            info.Environment[ConnectionVariable] = connectionString;
            return Process.Start(info) ?? throw new InvalidOperationException("Could not start a writer process.");
        }).ToList();
        var results = new List<(long, double, double)>();
        foreach (var child in children)
        {
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"A writer process failed (exit code {child.ExitCode}): {output}");
            string[] parts = output.Trim().Split('\n')[^1].Split(' ');
            results.Add((long.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture)));
        }
        return results;
    }

    private static bool ViewsHoldEverySet(PgSchemaScope schema)
    {
        using var connection = schema.OpenNpgsql();
        using var command = new Npgsql.NpgsqlCommand(
            "SELECT (SELECT count(*) FROM mv_set) = (SELECT count(*) FROM (SELECT DISTINCT subject_key, predicate_key FROM assertions) d)", connection);
        return command.ExecuteScalar() is true;
    }
}

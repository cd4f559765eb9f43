using System.Diagnostics;
using System.Globalization;

namespace StemeQL.Workloads;

/// <summary>
/// Reads of votes by their target's hash and by agent (the reads the embedded store's vote indexes serve): the calling
/// thread's CPU and the wall time per read, over a store of votes from a few agents on a set of targets.
/// </summary>
internal static class VoteReads
{
    private static readonly string[] Agents = ["bench-a", "bench-b", "bench-c", "bench-d"];

    public static void Run(Options options)
    {
        long votes = options.Long("votes", 1_000_000, 100_000);
        int targets = options.Int("targets", 1_000, 1_000);
        int ops = options.Int("ops", 2_000, 200);
        int reps = options.Int("reps", 3, 1);
        string root = options.Text("dir", Path.GetTempPath());

        using var scratch = Scratch.Create(root, "vote-reads");
        using var connection = scratch.Open(Ingest.Agent);
        var hashes = Ingest.CreateTargets(connection, targets);
        Load(scratch, hashes, votes);
        long middle = Materializer.ReadStatus(Materializer.StatusCommand(connection)).Durable / 2;

        // Each read, the keys it cycles through, and how many times per repetition (the whole-agent counts read a
        // quarter of the votes each, so fewer of them).
        var reads = new (string Name, string Sql, object[] Keys, int Ops)[]
        {
            ("newest 10 votes on a hash", "SELECT agent, lsn FROM votes WHERE assertion = @k ORDER BY lsn DESC LIMIT 10", hashes, ops),
            ("every vote on a hash", "SELECT agent, lsn FROM votes WHERE assertion = @k", hashes, ops / 4),
            ("count of votes on a hash", "SELECT count(*) FROM votes WHERE assertion = @k", hashes, ops),
            ("newest 10 votes by an agent", "SELECT assertion, lsn FROM votes WHERE agent = @k ORDER BY lsn DESC LIMIT 10", Agents, ops),
            ($"newest 10 votes by an agent AS OF LSN {middle:N0}", $"SELECT assertion, lsn FROM votes AS OF LSN {middle} WHERE agent = @k ORDER BY lsn DESC LIMIT 10", Agents, ops),
            ("first 10 votes by an agent", "SELECT assertion, lsn FROM votes WHERE agent = @k ORDER BY lsn LIMIT 10", Agents, ops),
            ("count of votes by an agent", "SELECT count(*) FROM votes WHERE agent = @k", Agents, Math.Max(4, ops / 200)),
        };
        var report = new Report(options, $"reads of {votes:N0} votes by {Agents.Length} agents on {targets:N0} targets: the reading thread's CPU and wall time per read; {reps} repetitions");
        foreach (var (name, sql, keys, count) in reads)
        {
            var cpu = new List<double>();
            var wall = new List<double>();
            for (int rep = 0; rep < reps; rep++)
            {
                var (c, w) = Measure(connection, sql, keys, count);
                cpu.Add(c);
                wall.Add(w);
            }
            report.Row(name + ": CPU", "µs/read", cpu);
            report.Row(name + ": wall", "µs/read", wall);
        }
        report.Note("Votes are loaded through the bulk loader, 8,192 per batch, the agents taking turns, each vote on a spread-out target; the reads run on one connection, prepared once per shape.");
        report.Print();
    }

    private static void Load(Scratch scratch, string[] hashes, long votes)
    {
        var connections = Agents.Select(a => scratch.Open(a)).ToList();
        try
        {
            const int Batch = 8_192;
            long written = 0;
            for (int turn = 0; written < votes; turn++)
            {
                int count = (int)Math.Min(Batch, votes - written);
                long first = written;
                new StemeBulkLoader(connections[turn % connections.Count]) { BatchSize = Batch }.WriteVotes(
                    Enumerable.Range(0, count).Select(i => new BulkVote(hashes[(int)((first + i) * 7919 % hashes.Length)], 1.0)));
                written += count;
            }
            using var wait = new StemeCommand("SELECT count(*) FROM votes", connections[0]);
            wait.ExecuteScalar(); // a Strong read: waits until the views (and the ledger) hold every vote
        }
        finally
        {
            foreach (var connection in connections) connection.Dispose();
        }
    }

    // The reading thread's CPU and the wall time per read, each averaged over count reads.
    private static (double Cpu, double Wall) Measure(StemeConnection connection, string sql, object[] keys, int count)
    {
        using var command = new StemeCommand(sql, connection);
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@k";
        parameter.Value = keys[0];
        command.Parameters.Add(parameter);
        command.Prepare();
        double cpuStart = ThreadCpu.Microseconds();
        long start = Stopwatch.GetTimestamp();
        long rows = 0;
        for (int i = 0; i < count; i++)
        {
            parameter.Value = keys[i % keys.Length];
            using var reader = command.ExecuteReader();
            while (reader.Read()) rows++;
        }
        if (rows == 0) throw new InvalidOperationException($"'{sql}' read no rows.");
        return ((ThreadCpu.Microseconds() - cpuStart) / count, Stopwatch.GetElapsedTime(start).TotalMicroseconds / count);
    }
}

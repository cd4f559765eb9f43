using System.Diagnostics;

namespace StemeQL.Workloads;

/// <summary>
/// One small, untimed pass over every write path before a workload measures anything, so the first
/// repetition does not pay for JIT compilation and the figures are steady-state ones.
/// </summary>
internal static class WarmUp
{
    public static void Run(Options options)
    {
        if (options.Long("warmup", 1, 1) == 0) return;
        string root = options.Text("dir", Path.GetTempPath());
        var clock = Stopwatch.StartNew();
        using (var scratch = Scratch.Create(root, "warmup"))
        using (var connection = scratch.Open(Ingest.Agent))
        {
            var hashes = Ingest.CreateTargets(connection, 1_000);
            for (int i = 0; i < 3; i++)
            {
                new StemeBulkLoader(connection) { BatchSize = 8_192 }.WriteVotes(Ingest.VoteRows(hashes, 100_000));
                using var batch = connection.CreateBatch();
                for (int j = 0; j < 1_000; j++)
                {
                    var vote = new StemeBatchCommand("VOTE @h WEIGHT 0.5");
                    vote.Parameters.AddWithValue("h", hashes[j]);
                    batch.BatchCommands.Add(vote);
                    var assert = new StemeBatchCommand("ASSERT (@s, 'p', @o)");
                    assert.Parameters.AddWithValue("s", "warm");
                    assert.Parameters.AddWithValue("o", (i * 1_000L) + j);
                    batch.BatchCommands.Add(assert);
                }
                batch.ExecuteNonQuery();
            }
            using var status = Materializer.StatusCommand(connection);
            while (Materializer.ReadStatus(status) is var s && s.Materialized < s.Durable) Thread.Sleep(5);
        }
        Console.Error.WriteLine($"warm-up: {clock.Elapsed.TotalSeconds:0.0} s (untimed)");
    }
}

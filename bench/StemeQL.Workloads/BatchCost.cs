using System.Diagnostics;

namespace StemeQL.Workloads;

/// <summary>
/// <c>batch-cost</c>: what one DbBatch of VOTEs costs, in CPU and counts rather than rates (which a shared machine
/// skews): after <c>--warm-batches</c> untimed batches, <c>--batches</c> more, each timed; the calling thread's CPU per
/// batch, bytes allocated per vote, collections, and for each thread of the process its CPU, its time runnable but
/// waiting for a CPU and its sleeps per batch (Linux). The batches are write-peer's (see <see cref="WritePeer.VoteBatch"/>).
/// </summary>
internal static class BatchCost
{
    public static void Run(Options options)
    {
        int perBatch = options.Int("per-batch", 1_000, 1_000);
        int batches = options.Int("batches", 1_000, 200);
        int warm = options.Int("warm-batches", 1_500, 200);
        int targets = options.Int("targets", 1_000, 1_000);
        string root = options.Text("dir", Path.GetTempPath());

        using var scratch = Scratch.Create(root, "batch-cost");
        using var connection = scratch.Open(Ingest.Agent);
        var rows = Ingest.VoteRows(Ingest.CreateTargets(connection, targets), (long)(warm + batches) * perBatch).ToArray();
        var (batch, runBatch) = WritePeer.VoteBatch(connection, rows, perBatch);
        using var _ = batch;
        int offset = 0;
        // Enough batches for the tiered JIT to optimize the ingestor's code too (it runs a chunk every few batches).
        for (int i = 0; i < warm; i++, offset += perBatch) runBatch(offset, perBatch);
        Thread.Sleep(300);

        var before = ThreadStats.Snapshot();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var paused = GC.GetTotalPauseDuration();
        long ownBytes = GC.GetAllocatedBytesForCurrentThread(), allBytes = GC.GetTotalAllocatedBytes(precise: true);
        var walls = new List<double>(batches);
        var cpus = new List<double>(batches);
        for (int i = 0; i < batches; i++, offset += perBatch)
        {
            long started = Stopwatch.GetTimestamp();
            double cpu = ThreadCpu.Microseconds();
            runBatch(offset, perBatch);
            cpus.Add(ThreadCpu.Microseconds() - cpu);
            walls.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
        double votes = (double)perBatch * batches;
        paused = GC.GetTotalPauseDuration() - paused;
        ownBytes = GC.GetAllocatedBytesForCurrentThread() - ownBytes;
        allBytes = GC.GetTotalAllocatedBytes(precise: true) - allBytes;
        var threads = ThreadStats.Between(before, ThreadStats.Snapshot(), ThreadCpu.NativeId(), "the writer (this thread)").ToList();

        var report = new Report(options, $"one DbBatch of {perBatch:N0} `VOTE @h WEIGHT @w`: {batches:N0} batches after {warm:N0} untimed ones");
        report.Columns("measure", "mean", "p50", "p90", "unit");
        report.Raw("wall per batch", Report.Format(walls.Average()), Report.Format(Stats.Percentile(walls, 50)), Report.Format(Stats.Percentile(walls, 90)), "µs");
        report.Raw("the writer's CPU per batch", Report.Format(cpus.Average()), Report.Format(Stats.Percentile(cpus, 50)), Report.Format(Stats.Percentile(cpus, 90)), "µs");
        report.Raw("allocated per vote, the writer / the process", Report.Format(ownBytes / votes), "", "", $"B (process: {Report.Format(allBytes / votes)})");
        report.Raw("collections per 1,000 batches, gen 0 / 1 / 2",
            string.Join(" / ", collections.Select((c, g) => Report.Format((GC.CollectionCount(g) - c) * 1000.0 / batches))), "", "", "");
        // Every thread stops for a collection's pauses, whichever thread's allocation started it.
        report.Raw("collections' pauses per batch (every thread stopped)", Report.Format(paused.TotalMicroseconds / batches), "", "", "µs");
        foreach (var thread in threads.Where(t => t.RunMicroseconds / batches >= 1))
        {
            report.Raw($"{thread.Name}: CPU / runnable, waiting / sleeps / preemptions per batch",
                $"{Report.Format(thread.RunMicroseconds / batches)} / {Report.Format(thread.WaitMicroseconds / batches)} / {Report.Format(thread.Voluntary / (double)batches)} / {Report.Format(thread.Involuntary / (double)batches)}",
                "", "", "µs / µs / count / count");
        }
        report.Note("The writer's CPU is clock_gettime(CLOCK_THREAD_CPUTIME_ID) around each ExecuteNonQuery; the threads' figures are /proc/self/task/*/schedstat and status between the first and the last batch (sleeps = voluntary context switches: an fsync's device waits, a lock, a futex).");
        report.Print();
    }
}

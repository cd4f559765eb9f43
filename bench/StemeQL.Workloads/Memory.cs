using System.Diagnostics;
using System.Globalization;

namespace StemeQL.Workloads;

/// <summary>
/// <c>memory</c>: ingests N votes (default 10,000,000) through the bulk loader in one process and
/// records the working set, the peak working set and the GC heap at N/10, N/2 and N, beside the same
/// figures right after opening the store. Bounded means the figure at N is about the figure at N/10.
/// One repetition: a process's peak working set cannot be reset, so each run is its own process.
/// </summary>
internal static class Memory
{
    public static void Run(Options options)
    {
        long votes = options.Long("votes", 10_000_000, 1_000_000);
        int batch = options.Int("batch", 8_192, 8_192);
        int targets = options.Int("targets", 1_000, 1_000);
        string root = options.Text("dir", Path.GetTempPath());
        long[] checkpoints = [votes / 10, votes / 2, votes];

        var report = new Report(options, $"{votes:N0} votes through the bulk loader, {batch:N0} per batch, one process");
        report.Columns("point", "votes written", "working set MB", "peak working set MB", "GC heap MB", "GC committed MB", "lag (LSNs)", "journal MB", "elapsed s");
        using var scratch = Scratch.Create(root, "memory");
        using var connection = scratch.Open(Ingest.Agent);
        using var status = Materializer.StatusCommand(connection);
        var hashes = Ingest.CreateTargets(connection, targets);
        var clock = Stopwatch.StartNew();
        Sample("after open (baseline)", 0);

        int next = 0;
        var loader = new StemeBulkLoader(connection) { BatchSize = batch };
        loader.Progress += (_, progress) =>
        {
            while (next < checkpoints.Length && progress.RowsWritten >= checkpoints[next])
            {
                Sample($"at {checkpoints[next]:N0}", progress.RowsWritten);
                next++;
            }
        };
        loader.WriteVotes(Ingest.VoteRows(hashes, votes));
        while (Materializer.ReadStatus(status) is var s && s.Materialized < s.Durable) Thread.Sleep(5);
        Sample("caught up", votes);
        report.Note("Working set and peak from /proc (Process.WorkingSet64 / PeakWorkingSet64); GC heap = GCMemoryInfo.HeapSizeBytes after the last GC; GC committed = GCMemoryInfo.TotalCommittedBytes.");
        report.Note("lag = durable_lsn − materialized_lsn when the sample was taken: ingestion running behind would hold durable batches in memory (bounded by the store's queue limit) or re-read them from the journal.");
        report.Print();

        void Sample(string point, long written)
        {
            using var process = Process.GetCurrentProcess();
            var gc = GC.GetGCMemoryInfo();
            var s = Materializer.ReadStatus(status);
            report.Raw(point, written.ToString("N0", CultureInfo.InvariantCulture), Mb(process.WorkingSet64), Mb(process.PeakWorkingSet64),
                Mb(gc.HeapSizeBytes), Mb(gc.TotalCommittedBytes), s.LagLsns.ToString("N0", CultureInfo.InvariantCulture), Mb(s.JournalBytes),
                clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
        }
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture);
}

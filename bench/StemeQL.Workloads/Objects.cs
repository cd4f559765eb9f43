using System.Diagnostics;

namespace StemeQL.Workloads;

/// <summary>
/// <c>objects</c>: one large bytes value (default 1 GiB, <c>--mb</c>) through the object store: ASSERT
/// with a Stream parameter, then a full read through <c>GetStream</c> (which verifies the SHA-256), on
/// the data folder and on S3 (when an endpoint is given), each beside the same bytes through a raw file
/// copy + fsync / raw file read, and a raw AWS SDK upload (TransferUtility) / GetObject. The reader's
/// memory is sampled while it reads: the GC heap and the working set must not grow with the object.
/// S3 needs --s3 http://127.0.0.1:PORT and --bucket (tools/test-servers/s3rver.sh start prints them;
/// STEMEQL_TEST_S3_URL / STEMEQL_TEST_S3_BUCKET are the defaults).
/// </summary>
internal static class Objects
{
    public static void Run(Options options)
    {
        long mb = options.Long("mb", 1024, 64);
        int reps = options.Int("reps", 3, 1);
        string root = options.Text("dir", Path.GetTempPath());
        string s3 = options.Text("s3", Environment.GetEnvironmentVariable("STEMEQL_TEST_S3_URL") ?? "");
        string bucket = options.Text("bucket", Environment.GetEnvironmentVariable("STEMEQL_TEST_S3_BUCKET") ?? "stemeql-test");
        if (mb < 1) throw new ArgumentException("--mb must be at least 1.");
        long size = mb << 20;

        var report = new Report(options, $"one {mb:N0} MiB bytes value, written from a file stream and read back whole");
        using var scratch = Scratch.Create(root, "objects");
        Directory.CreateDirectory(scratch.Path);
        string source = Path.Combine(scratch.Path, "source.bin");
        WriteSource(source, size);
        using var baselines = new ObjectBaselines(s3, bucket);

        var folder = new Measures();
        var onS3 = new Measures();
        for (int rep = 0; rep < reps; rep++)
        {
            string copy = Path.Combine(scratch.Path, $"copy-{rep}.bin");
            folder.RawWrite.Add(Time(() => ObjectBaselines.CopyAndSync(source, copy)));
            folder.RawRead.Add(Time(() => ObjectBaselines.ReadFile(copy)));
            File.Delete(copy);
            ThroughStemeQL(Path.Combine(scratch.Path, $"db-{rep}"), "", source, folder);
            if (s3.Length == 0) continue;
            string prefix = $"bench-{Guid.NewGuid():N}/";
            onS3.RawWrite.Add(Time(() => baselines.Put(prefix + "raw", source)));
            onS3.RawRead.Add(Time(() => baselines.Get(prefix + "raw")));
            ThroughStemeQL(Path.Combine(scratch.Path, $"s3db-{rep}"), baselines.ConnectionStringFor(prefix), source, onS3);
            baselines.DeleteAll(prefix);
        }

        report.Row("folder store: ASSERT @stream (hash, spool, fsync, rename)", "MB/s", Rates(size, folder.Write), "file copy + fsync", Rates(size, folder.RawWrite));
        report.Row("folder store: GetStream read to the end (SHA-256 verified)", "MB/s", Rates(size, folder.Read), "file read", Rates(size, folder.RawRead));
        if (s3.Length > 0)
        {
            report.Row("S3 store: ASSERT @stream (hash, spool, multipart upload)", "MB/s", Rates(size, onS3.Write), "AWS SDK TransferUtility upload", Rates(size, onS3.RawWrite));
            report.Row("S3 store: GetStream read to the end (SHA-256 verified)", "MB/s", Rates(size, onS3.Read), "AWS SDK GetObject read", Rates(size, onS3.RawRead));
        }
        report.Note($"the object is {size / 1e6:0} MB. While reading it (max over reps): " + folder.Memory("folder") + (s3.Length > 0 ? "; " + onS3.Memory("S3") : "") + ".");
        using (var process = Process.GetCurrentProcess())
            report.Note($"process peak working set {process.PeakWorkingSet64 / 1e6:0} MB (whole run, writes and baselines included).");
        if (s3.Length == 0) report.Note("S3 rows skipped: pass --s3 http://127.0.0.1:PORT --bucket NAME (tools/test-servers/s3rver.sh start).");
        report.Print();
    }

    // Writes the file through ASSERT, reads it back through GetStream, then deletes the data folder.
    private static void ThroughStemeQL(string folder, string extra, string source, Measures measures)
    {
        // No idle grace period: the store closes with the connection, so its folder can be deleted.
        using (var connection = new StemeConnection($"Data Source={folder};Agent=bench;Store Idle Timeout=0{extra}"))
        {
            connection.Open();
            measures.Write.Add(Time(() =>
            {
                using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
                using var command = new StemeCommand("ASSERT ('doc', 'body', @body)", connection);
                command.Parameters.AddWithValue("body", file);
                command.ExecuteNonQuery();
            }));
            // Collected before the clock starts, so the heap's growth during the read is the reader's.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            measures.Read.Add(Time(() => ReadBack(connection, measures)));
        }
        Directory.Delete(folder, recursive: true);
    }

    private static void ReadBack(StemeConnection connection, Measures measures)
    {
        using var command = new StemeCommand("SELECT object FROM assertions WHERE subject = 'doc'", connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        var buffer = new byte[ObjectBaselines.ReadBuffer];
        long heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        long workingSetBefore = Environment.WorkingSet;
        long heapGrowth = 0, workingSetPeak = workingSetBefore;
        using var stream = reader.GetStream(0);
        for (long chunks = 1; stream.Read(buffer) > 0; chunks++)
        {
            if (chunks % 8 != 0) continue;
            heapGrowth = Math.Max(heapGrowth, GC.GetTotalMemory(false) - heapBefore);
            workingSetPeak = Math.Max(workingSetPeak, Environment.WorkingSet);
        }
        heapGrowth = Math.Max(heapGrowth, GC.GetTotalMemory(false) - heapBefore);
        workingSetPeak = Math.Max(workingSetPeak, Environment.WorkingSet);
        measures.HeapGrowth = Math.Max(measures.HeapGrowth, heapGrowth);
        measures.WorkingSetGrowth = Math.Max(measures.WorkingSetGrowth, workingSetPeak - workingSetBefore);
        measures.WorkingSetPeak = Math.Max(measures.WorkingSetPeak, workingSetPeak);
    }

    private static void WriteSource(string path, long size)
    {
        var random = new Random(42);
        var buffer = new byte[1 << 20];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
        file.Flush(flushToDisk: true);
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static List<double> Rates(long size, List<double> seconds) => [.. seconds.Select(s => size / 1e6 / s)];

    // Seconds per rep for one store and its baselines, and the reader's memory while it read.
    private sealed class Measures
    {
        public List<double> Write { get; } = [];
        public List<double> Read { get; } = [];
        public List<double> RawWrite { get; } = [];
        public List<double> RawRead { get; } = [];
        public long HeapGrowth { get; set; }
        public long WorkingSetGrowth { get; set; }
        public long WorkingSetPeak { get; set; }

        public string Memory(string store) =>
            $"{store}: GC heap +{HeapGrowth / 1e6:0.0} MB, working set +{WorkingSetGrowth / 1e6:0.0} MB (peak {WorkingSetPeak / 1e6:0} MB)";
    }
}

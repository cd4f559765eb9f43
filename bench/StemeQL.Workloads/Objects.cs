using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace StemeQL.Workloads;

/// <summary>
/// <c>objects</c>: one large bytes value (default 1 GB) through the object store: ASSERT with a
/// Stream parameter, then a full read through <c>GetStream</c> (which verifies the SHA-256), on the
/// data folder and on S3 (when an endpoint is given), beside a raw file copy + fsync and a raw AWSSDK
/// put of the same file. The reader's memory is sampled while it reads: the GC heap must not grow
/// with the object. S3 needs --s3 http://127.0.0.1:PORT and --bucket (tools/test-servers/s3rver.sh
/// start prints them; STEMEQL_TEST_S3_URL / STEMEQL_TEST_S3_BUCKET are the defaults).
/// </summary>
internal static class Objects
{
    private const int ReadBuffer = 1 << 20;

    public static void Run(Options options)
    {
        long mb = options.Long("mb", 1024, 16);
        int reps = options.Int("reps", 3, 1);
        string root = options.Text("dir", Path.GetTempPath());
        string s3 = options.Text("s3", Environment.GetEnvironmentVariable("STEMEQL_TEST_S3_URL") ?? "");
        string bucket = options.Text("bucket", Environment.GetEnvironmentVariable("STEMEQL_TEST_S3_BUCKET") ?? "stemeql-test");
        long size = mb << 20;

        var report = new Report(options, $"one {mb:N0} MiB bytes value, written from a file stream and read back whole");
        using var scratch = Scratch.Create(root, "objects");
        Directory.CreateDirectory(scratch.Path);
        string source = Path.Combine(scratch.Path, "source.bin");
        WriteSource(source, size);

        var rawCopy = new List<double>();
        var folderWrite = new List<double>();
        var folderRead = new List<double>();
        var rawPut = new List<double>();
        var s3Write = new List<double>();
        var s3Read = new List<double>();
        long folderHeap = 0, s3Heap = 0;
        for (int rep = 0; rep < reps; rep++)
        {
            rawCopy.Add(Time(() => CopyAndSync(source, Path.Combine(scratch.Path, $"copy-{rep}.bin"))));
            File.Delete(Path.Combine(scratch.Path, $"copy-{rep}.bin"));
            var (write, read, heap) = ThroughStemeQL(Path.Combine(scratch.Path, $"db-{rep}"), "", source);
            folderWrite.Add(write);
            folderRead.Add(read);
            folderHeap = Math.Max(folderHeap, heap);
            if (s3.Length == 0) continue;
            string prefix = $"bench-{Guid.NewGuid():N}/";
            rawPut.Add(Time(() => RawPut(s3, bucket, prefix + "raw", source)));
            (write, read, heap) = ThroughStemeQL(Path.Combine(scratch.Path, $"s3db-{rep}"),
                $";Object Bucket={bucket};Object Prefix={prefix};Object Service URL={s3};Object Path Style=True;Object Access Key=S3RVER;Object Secret Key=S3RVER", source);
            s3Write.Add(write);
            s3Read.Add(read);
            s3Heap = Math.Max(s3Heap, heap);
        }

        report.Row("folder store: ASSERT @stream (hash, spool, fsync, rename)", "MB/s", Rates(size, folderWrite), "file copy + fsync", Rates(size, rawCopy));
        report.Row("folder store: GetStream read to the end (verified)", "MB/s", Rates(size, folderRead));
        if (s3.Length > 0)
        {
            report.Row("S3 store: ASSERT @stream (hash, spool, upload)", "MB/s", Rates(size, s3Write), "raw AWSSDK put of the file", Rates(size, rawPut));
            report.Row("S3 store: GetStream read to the end (verified)", "MB/s", Rates(size, s3Read));
        }
        report.Note($"reader GC heap growth while reading (max over reps): folder {folderHeap / 1e6:0.0} MB" + (s3.Length > 0 ? $", S3 {s3Heap / 1e6:0.0} MB" : "") + $"; the object is {size / 1e6:0} MB.");
        using (var process = Process.GetCurrentProcess())
            report.Note($"process peak working set {process.PeakWorkingSet64 / 1e6:0} MB (whole run, writes included).");
        if (s3.Length == 0) report.Note("S3 rows skipped: pass --s3 http://127.0.0.1:PORT --bucket NAME (tools/test-servers/s3rver.sh start).");
        report.Print();
    }

    private static (double Write, double Read, long HeapGrowth) ThroughStemeQL(string folder, string extra, string source)
    {
        using var connection = new StemeConnection($"Data Source={folder};Agent=bench{extra}");
        connection.Open();
        double write = Time(() =>
        {
            using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            using var command = new StemeCommand("ASSERT ('doc', 'body', @body)", connection);
            command.Parameters.AddWithValue("body", file);
            command.ExecuteNonQuery();
        });
        long heapGrowth = 0;
        double read = Time(() =>
        {
            using var command = new StemeCommand("SELECT object FROM assertions WHERE subject = 'doc'", connection);
            using var reader = command.ExecuteReader();
            reader.Read();
            GC.Collect();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            using var stream = reader.GetStream(0);
            var buffer = new byte[ReadBuffer];
            long chunks = 0;
            while (stream.Read(buffer) > 0)
            {
                if (++chunks % 8 == 0) heapGrowth = Math.Max(heapGrowth, GC.GetTotalMemory(false) - before);
            }
            heapGrowth = Math.Max(heapGrowth, GC.GetTotalMemory(false) - before);
        });
        return (write, read, heapGrowth);
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

    private static void CopyAndSync(string source, string target)
    {
        File.Copy(source, target);
        using var file = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    private static void RawPut(string serviceUrl, string bucket, string key, string path)
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = serviceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = path, UseChunkEncoding = false }).GetAwaiter().GetResult();
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static List<double> Rates(long size, List<double> seconds) => [.. seconds.Select(s => size / 1e6 / s)];
}

using System.Diagnostics;
using StemeQL.Core.Model;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;
using Xunit.Abstractions;

namespace StemeQL.Storage.Tests.Journal;

public sealed class JournalThroughputScratch(ITestOutputHelper output)
{
    [Theory]
    [InlineData("votes", 1_000_000)]
    [InlineData("asserts", 500_000)]
    public async Task Measure(string kind, int total)
    {
        const int BatchSize = 65_536;
        var batches = new List<JournalBatch>();
        for (long lsn = 1; lsn <= total; lsn += BatchSize)
        {
            int n = (int)Math.Min(BatchSize, total - lsn + 1);
            var ops = new JournalOp[n];
            for (int i = 0; i < n; i++)
            {
                long l = lsn + i;
                ops[i] = kind == "votes"
                    ? new JournalVote(l, new Vote(J.SomeHash, "agent" + (l % 1000), 0.5))
                    : new JournalAssert(l, new Assertion("subject" + l, "predicate" + (l % 50), StemeValue.Integer(l), "", "agent" + (l % 1000), null, 0.9));
            }
            batches.Add(new JournalBatch(lsn, 1, ops));
        }
        for (int round = 0; round < 3; round++)
        {
            using var folder = new TempFolder();
            JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, folder.Path);
            var clock = Stopwatch.StartNew();
            using (var writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, folder.Path, 1, new JournalOptions(), _ => { }))
            {
                await Task.WhenAll(batches.Select(writer.Append).ToList());
            }
            double journal = clock.Elapsed.TotalSeconds;
            long bytes = new FileInfo(J.SegmentPaths(folder.Path)[0]).Length;

            var frames = batches.Select(JournalCodec.EncodeFrame).ToList();
            clock.Restart();
            using (var raw = new FileStream(Path.Combine(folder.Path, "raw"), FileMode.CreateNew, FileAccess.Write, FileShare.Read, 0))
            {
                foreach (var (frame, length) in frames)
                {
                    raw.Write(frame, 0, length);
                    raw.Flush(flushToDisk: true);
                }
            }
            double rawSeconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{kind}: journal {total / journal:N0}/s ({journal * 1000:N0} ms, {bytes / 1e6:N1} MB); raw append+fsync per batch {total / rawSeconds:N0}/s ({rawSeconds * 1000:N0} ms); ratio {rawSeconds / journal:P0}");
        }
    }
}

public sealed class JournalEncodeScratch(ITestOutputHelper output)
{
    [Fact]
    public void MeasureEncode()
    {
        var ops = new JournalOp[65_536];
        for (int i = 0; i < ops.Length; i++)
            ops[i] = new JournalAssert(i + 1, new Assertion("subject" + i, "predicate" + (i % 50), StemeValue.Integer(i), "", "agent" + (i % 1000), null, 0.9));
        var batch = new JournalBatch(1, 1, ops);
        var vops = new JournalOp[65_536];
        for (int i = 0; i < vops.Length; i++) vops[i] = new JournalVote(i + 1, new Vote(J.SomeHash, "agent" + (i % 1000), 0.5));
        var vbatch = new JournalBatch(1, 1, vops);
        for (int round = 0; round < 10; round++)
        {
            var clock = Stopwatch.StartNew();
            var (frame, length) = JournalCodec.EncodeFrame(batch);
            double a = clock.Elapsed.TotalMilliseconds;
            FrameBuffer.Return(frame);
            clock.Restart();
            (frame, length) = JournalCodec.EncodeFrame(vbatch);
            double v = clock.Elapsed.TotalMilliseconds;
            FrameBuffer.Return(frame);
            clock.Restart();
            Crc32C.Compute(new byte[length]);
            output.WriteLine($"asserts {a * 1e6 / ops.Length:N0} ns/op, votes {v * 1e6 / ops.Length:N0} ns/op, crc {clock.Elapsed.TotalMilliseconds:N2} ms for {length} bytes");
        }
    }
}

using StemeQL.Core.Model;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Journal;

public sealed class JournalRoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Dir => _folder.Path;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Every_op_and_value_type_round_trips_through_a_reopened_journal()
    {
        var parent = J.Fact("paris", "capital_of", "france");
        var other = J.Fact("berlin", "capital_of", "germany");
        var objects = new[]
        {
            StemeValue.Text("plain"), StemeValue.Text(""), StemeValue.Text("Zürich ✓ 𝄞 日本"),
            StemeValue.Integer(0), StemeValue.Integer(long.MinValue), StemeValue.Integer(long.MaxValue),
            StemeValue.Real(1.5), StemeValue.Real(double.NaN), StemeValue.Real(-0.0), StemeValue.Real(double.NegativeInfinity),
            StemeValue.Real(double.Epsilon), StemeValue.Boolean(true), StemeValue.Boolean(false),
            StemeValue.Bytes([]), StemeValue.Bytes([0, 1, 2, 255, 128]),
        };
        var ops = new List<Func<long, JournalOp>>();
        for (int i = 0; i < objects.Length; i++)
        {
            var value = objects[i];
            double confidence = i / (double)objects.Length;
            string epoch = i % 3 == 0 ? "" : "épоch-" + i;
            IReadOnlyList<ContentHash>? lineage = i % 2 == 0 ? null : [other.Hash, parent.Hash, parent.Hash];
            ops.Add(lsn => new JournalAssert(lsn, new Assertion("sübject" + i, "prédicate", value, epoch, "agent✓", lineage, confidence)));
        }
        ops.Add(lsn => new JournalVote(lsn, new Vote(parent.Hash, "carol", 0.0)));
        ops.Add(lsn => new JournalVote(lsn, new Vote(other.Hash, "", 1.0)));
        ops.Add(lsn => new JournalVote(lsn, new Vote(parent.Hash, "dave 🙂", 0.3)));

        var batches = new List<JournalBatch>
        {
            J.Of(1, DateTime.UtcNow.Ticks, [.. ops]),
            J.Of(1 + ops.Count, 0, lsn => new JournalVote(lsn, new Vote(parent.Hash, "eve", 1))),
            J.Of(2 + ops.Count, long.MaxValue, lsn => new JournalAssert(lsn, parent), lsn => new JournalVote(lsn, new Vote(parent.Hash, "eve", 0.5))),
        };
        J.Write(Dir, batches);

        var recovery = JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, Dir);
        Assert.Null(recovery.Recovered);
        Assert.Equal(batches[^1].LastLsn, recovery.LastLsn);
        Assert.Equal(0, recovery.TruncatedBytes);
        Assert.Equal(1, recovery.Segments);
        var read = J.ReadAll(Dir);
        J.Same(batches, read);
        // -0.0 is normalised by the model; NaN keeps its bits.
        var assertions = read[0].Ops.OfType<JournalAssert>().Select(op => op.Assertion).ToList();
        Assert.True(double.IsNaN(assertions[7].Object.AsReal));
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(assertions[8].Object.AsReal));
    }

    [Fact]
    public void Strings_of_every_length_round_trip_and_keep_their_hash()
    {
        // Around the one-byte length fast path (42 chars, 127/128 bytes) and far beyond it.
        var texts = new[] { 41, 42, 43, 63, 64, 127, 128, 129, 5000 }
            .SelectMany(n => new[] { new string('a', n), string.Concat(Enumerable.Repeat("€", n)), string.Concat(Enumerable.Repeat("𝄞", n / 2 + 1)) })
            .ToList();
        var ops = texts.Select((text, i) => (Func<long, JournalOp>)(lsn => i % 2 == 0
            ? new JournalAssert(lsn, new Assertion(text, text, StemeValue.Text(text), text, text))
            : new JournalVote(lsn, new Vote(J.SomeHash, text, 0.5)))).ToArray();
        var batches = new List<JournalBatch> { J.Of(1, 0, ops) };
        J.Write(Dir, batches);
        J.Same(batches, J.ReadAll(Dir));
    }

    [Fact]
    public void SyncDirectory_fsyncs_a_directory_and_reports_errors()
    {
        var fs = PhysicalJournalFileSystem.Instance;
        fs.CreateDirectory(Dir);
        fs.SyncDirectory(Dir);
        if (OperatingSystem.IsLinux())
        {
            var error = Assert.Throws<IOException>(() => fs.SyncDirectory(Path.Combine(Dir, "missing")));
            Assert.Contains("errno 2", error.Message);
        }
    }

    [Fact]
    public void Files_that_are_not_segments_are_ignored()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "notes.wal"), "not a segment");
        File.WriteAllText(Path.Combine(Dir, JournalFormat.SegmentName(1) + ".tmp"), "not a segment");
        var batches = J.Sequence(2, 2);
        J.Write(Dir, batches);
        Assert.Null(JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, Dir).Recovered);
        J.Same(batches, J.ReadAll(Dir));
        Assert.Equal(3, Directory.GetFiles(Dir).Length);   // left alone: two strays and the segment
    }

    [Fact]
    public void ReadAfter_skips_batches_at_or_before_the_lsn()
    {
        var batches = J.Sequence(1, 3, 2, 5, 1);   // LSNs 1 | 2-4 | 5-6 | 7-11 | 12
        J.Write(Dir, batches);

        Assert.Equal([1L, 2, 5, 7, 12], J.ReadAll(Dir, 0).Select(b => b.FirstLsn));
        Assert.Equal([2L, 5, 7, 12], J.ReadAll(Dir, 1).Select(b => b.FirstLsn));
        Assert.Equal([2L, 5, 7, 12], J.ReadAll(Dir, 3).Select(b => b.FirstLsn));   // 2-4 straddles 3
        Assert.Equal([5L, 7, 12], J.ReadAll(Dir, 4).Select(b => b.FirstLsn));
        Assert.Equal([12L], J.ReadAll(Dir, 11).Select(b => b.FirstLsn));
        Assert.Empty(J.ReadAll(Dir, 12));
        Assert.Empty(J.ReadAll(Dir, 1000));
    }

    [Fact]
    public void ReadAfter_of_a_missing_journal_is_empty() => Assert.Empty(J.ReadAll(Path.Combine(Dir, "nothing")));

    [Fact]
    public void Small_segments_are_read_back_in_order()
    {
        var batches = J.Sequence(Enumerable.Range(1, 20).Select(i => i % 4 + 1).ToArray());
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });

        Assert.Equal(20, J.SegmentPaths(Dir).Length);   // every frame in its own segment
        var recovery = JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, Dir);
        Assert.Equal((batches[^1].LastLsn, 20, (string?)null), (recovery.LastLsn, recovery.Segments, recovery.Recovered));
        J.Same(batches, J.ReadAll(Dir));
        long middle = batches[9].LastLsn;
        J.Same(batches[10..], J.ReadAll(Dir, middle));
    }

    [Fact]
    public void Segments_roll_at_the_size_limit_and_a_frame_never_spans_two()
    {
        var batches = J.Sequence(Enumerable.Repeat(10, 30).ToArray());
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 4096, Fsync = false });

        var segments = J.SegmentPaths(Dir);
        Assert.InRange(segments.Length, 3, 30);
        Assert.All(segments, path => Assert.InRange(new FileInfo(path).Length, JournalFormat.HeaderSize + 1, 4096));
        J.Same(batches, J.ReadAll(Dir));
    }

    [Fact]
    public void Reopening_appends_to_the_newest_segment()
    {
        var batches = J.Sequence(2, 3, 4, 1);
        J.Write(Dir, batches[..2]);
        J.Write(Dir, batches[2..]);

        Assert.Single(J.SegmentPaths(Dir));
        J.Same(batches, J.ReadAll(Dir));
    }

    [Fact]
    public void Opening_ahead_of_the_journal_starts_a_discontinuous_segment()
    {
        J.Write(Dir, [J.Votes(1, 3)]);
        J.Write(Dir, [J.Votes(100, 2)]);   // the store was ahead of its journal

        Assert.Equal(2, J.SegmentPaths(Dir).Length);
        var recovery = JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, Dir);
        Assert.Equal((101L, (string?)null), (recovery.LastLsn, recovery.Recovered));
        Assert.Equal([1L, 100], J.ReadAll(Dir).Select(b => b.FirstLsn));
    }

    [Fact]
    public void Opening_an_empty_journal_at_a_later_lsn_starts_there()
    {
        J.Write(Dir, [J.Votes(50, 2)]);
        Assert.EndsWith(JournalFormat.SegmentName(50), Assert.Single(J.SegmentPaths(Dir)));
        Assert.Equal(51, JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, Dir).LastLsn);
    }

    [Fact]
    public void Open_refuses_a_next_lsn_the_journal_already_holds()
    {
        J.Write(Dir, [J.Votes(1, 5)]);
        var fs = PhysicalJournalFileSystem.Instance;
        Assert.Throws<InvalidOperationException>(() => JournalWriter.Open(fs, Dir, 5, new JournalOptions(), _ => { }));
    }

    [Fact]
    public void An_open_that_writes_nothing_leaves_an_empty_segment_that_later_opens_reuse()
    {
        var fs = PhysicalJournalFileSystem.Instance;
        JournalWriter.Open(fs, Dir, 7, new JournalOptions { SegmentBytes = 1 }, _ => { }).Dispose();
        var recovery = JournalRecovery.Recover(fs, Dir);
        Assert.Equal((6L, 1), (recovery.LastLsn, recovery.Segments));
        J.Write(Dir, [J.Votes(7, 2)], new JournalOptions { SegmentBytes = 1 });
        Assert.Single(J.SegmentPaths(Dir));
        Assert.Equal([7L], J.ReadAll(Dir).Select(b => b.FirstLsn));
    }
}

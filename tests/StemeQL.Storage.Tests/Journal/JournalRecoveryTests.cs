using System.Buffers.Binary;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Journal;

public sealed class JournalRecoveryTests : IDisposable
{
    private static readonly IJournalFileSystem Fs = PhysicalJournalFileSystem.Instance;
    private readonly TempFolder _folder = new();

    private string Dir => _folder.Path;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Recovery_creates_a_missing_directory_and_finds_nothing()
    {
        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.True(Directory.Exists(Dir));
        Assert.Equal(new JournalRecoveryResult(0, 0, 0, null), result);
    }

    [Fact]
    public void Recovery_truncates_a_torn_tail()
    {
        var batches = J.Sequence(2, 1, 3);
        J.Write(Dir, batches[..2]);
        var segment = Assert.Single(J.SegmentPaths(Dir));
        long before = new FileInfo(segment).Length;
        J.Write(Dir, batches[2..]);
        var whole = File.ReadAllBytes(segment);

        // A crash can leave any prefix of the last frame on disk.
        for (long cut = before; cut < whole.Length; cut++)
        {
            File.WriteAllBytes(segment, whole[..(int)cut]);
            var result = JournalRecovery.Recover(Fs, Dir);
            Assert.Equal(batches[1].LastLsn, result.LastLsn);
            Assert.Equal(cut - before, result.TruncatedBytes);
            Assert.Equal(cut > before, result.Problem is not null);
            Assert.Equal(before, new FileInfo(segment).Length);
            J.Same(batches[..2], J.ReadAll(Dir));
        }

        // The writer carries on after the recovered tail.
        var more = new[] { J.Votes(batches[1].LastLsn + 1, 4), J.Asserts(batches[1].LastLsn + 5, 2) };
        J.Write(Dir, more);
        J.Same([.. batches[..2], .. more], J.ReadAll(Dir));
    }

    [Fact]
    public void Recovery_drops_everything_from_a_corrupted_middle_frame()
    {
        var batches = J.Sequence(1, 2, 3, 4, 5);
        var starts = new List<long>();
        foreach (var batch in batches)
        {
            starts.Add(File.Exists(SegmentPath(1)) ? new FileInfo(SegmentPath(1)).Length : JournalFormat.HeaderSize);
            J.Write(Dir, [batch]);
        }
        long length = new FileInfo(SegmentPath(1)).Length;
        FlipByte(SegmentPath(1), starts[2] + 20);   // inside the third frame's payload

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal(batches[1].LastLsn, result.LastLsn);
        Assert.Equal(length - starts[2], result.TruncatedBytes);
        Assert.Contains("CRC-32C", result.Problem);
        J.Same(batches[..2], J.ReadAll(Dir));
    }

    [Fact]
    public void Recovery_deletes_the_segments_after_a_corrupt_frame()
    {
        var batches = J.Sequence(2, 2, 2, 2, 2);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        var segments = J.SegmentPaths(Dir);
        Assert.Equal(5, segments.Length);
        FlipByte(segments[1], new FileInfo(segments[1]).Length - 1);

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal((batches[0].LastLsn, 2), (result.LastLsn, result.Segments));
        Assert.Contains("deleted 3 later segment(s)", result.Problem);
        Assert.Equal(2, J.SegmentPaths(Dir).Length);
        J.Same(batches[..1], J.ReadAll(Dir));
    }

    [Fact]
    public void Recovery_drops_a_frame_whose_checksum_matches_but_which_does_not_decode()
    {
        J.Write(Dir, J.Sequence(2, 2));
        var payload = new byte[JournalFormat.MinPayloadLength];
        BinaryPrimitives.WriteInt64LittleEndian(payload, 5);   // the right next LSN
        payload[16] = 1;                                       // one op...
        payload[17] = 9;                                       // ...of an unknown type
        var frame = new byte[JournalFormat.FrameHeaderSize + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32C.Compute(payload));
        payload.CopyTo(frame, JournalFormat.FrameHeaderSize);
        using (var stream = new FileStream(SegmentPath(1), FileMode.Append)) stream.Write(frame);

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal((4L, (long)frame.Length), (result.LastLsn, result.TruncatedBytes));
        Assert.Contains("unknown type 9", result.Problem);
    }

    [Fact]
    public void Recovery_treats_a_zero_filled_tail_as_torn()
    {
        J.Write(Dir, J.Sequence(3, 3));
        using (var stream = new FileStream(SegmentPath(1), FileMode.Append)) stream.Write(new byte[100]);

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal((6L, 100L), (result.LastLsn, result.TruncatedBytes));
        Assert.Contains("impossible frame length 0", result.Problem);
    }

    [Fact]
    public void Recovery_removes_a_segment_with_a_torn_header()
    {
        J.Write(Dir, J.Sequence(3));
        File.WriteAllBytes(SegmentPath(4), "STEMEJNL\u0001"u8.ToArray());   // a crash right after creating it

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.False(File.Exists(SegmentPath(4)));
        Assert.Equal((3L, 1, 9L), (result.LastLsn, result.Segments, result.TruncatedBytes));
        Assert.Contains("shorter than its 32-byte header", result.Problem);
        J.Write(Dir, [J.Votes(4, 1)]);
        Assert.Equal(2, J.ReadAll(Dir).Count);
    }

    [Fact]
    public void Recovery_treats_an_lsn_gap_between_segments_as_corruption()
    {
        var batches = J.Sequence(1, 1, 1, 1);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Delete(J.SegmentPaths(Dir)[1]);

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal(1, result.LastLsn);
        Assert.Contains("starts at LSN 3", result.Problem);
        Assert.Single(J.SegmentPaths(Dir));
    }

    [Fact]
    public void Recovery_refuses_a_segment_from_a_newer_format_and_keeps_it()
    {
        J.Write(Dir, J.Sequence(2));
        var bytes = File.ReadAllBytes(SegmentPath(1));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), Crc32C.Compute(bytes.AsSpan(0, 28)));
        File.WriteAllBytes(SegmentPath(1), bytes);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Contains("version 2", error.Message);
        Assert.Contains("newer StemeQL", error.Message);
        Assert.Equal(bytes.Length, new FileInfo(SegmentPath(1)).Length);
    }

    [Fact]
    public void Recovery_deletes_a_segment_whose_header_is_damaged()
    {
        J.Write(Dir, [J.Votes(1, 2)]);
        J.Write(Dir, [J.Votes(3, 2)], new JournalOptions { SegmentBytes = 1, Fsync = false });
        FlipByte(SegmentPath(3), 17);

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal(2, result.LastLsn);
        Assert.Contains("header is damaged", result.Problem);
        Assert.False(File.Exists(SegmentPath(3)));
    }

    [Fact]
    public void Opening_the_writer_on_an_unrecovered_torn_tail_is_refused()
    {
        J.Write(Dir, J.Sequence(2, 2));
        using (var stream = new FileStream(SegmentPath(1), FileMode.Append)) stream.Write([1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => JournalWriter.Open(Fs, Dir, 5, new JournalOptions(), _ => { }));
    }

    [Fact]
    public void Reading_a_corrupt_journal_without_recovery_fails_with_a_storage_failure()
    {
        J.Write(Dir, J.Sequence(2, 2, 2));
        FlipByte(SegmentPath(1), JournalFormat.HeaderSize + 30);
        var error = Assert.Throws<StemeException>(() => J.ReadAll(Dir));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
    }

    private string SegmentPath(long firstLsn) => Path.Combine(Dir, JournalFormat.SegmentName(firstLsn));

    private static void FlipByte(string path, long offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }
}

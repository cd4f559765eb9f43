using System.Buffers.Binary;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Journal;

public sealed class JournalRecoveryTests : IDisposable
{
    private static readonly IJournalFileSystem Fs = PhysicalJournalFileSystem.Instance;
    private readonly TempFolder _folder = new();

    private string Dir => Path.Combine(_folder.Path, "journal");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Recovery_creates_a_missing_directory_and_finds_nothing()
    {
        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.True(Directory.Exists(Dir));
        Assert.Equal((0L, 0L, 0, (string?)null, 1L), (result.LastLsn, result.TruncatedBytes, result.Segments, result.Recovered, result.NextLsn));
        Assert.Empty(result.Lost);
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
            Assert.Equal(cut > before, result.Recovered is not null);
            if (cut > before) Assert.Contains($"cut a torn tail of {JournalFormat.SegmentName(1)} at offset {before}", result.Recovered);
            Assert.Equal(before, new FileInfo(segment).Length);
            J.Same(batches[..2], J.ReadAll(Dir));
        }

        // The writer carries on after the recovered tail.
        var more = new[] { J.Votes(batches[1].LastLsn + 1, 4), J.Asserts(batches[1].LastLsn + 5, 2) };
        J.Write(Dir, more);
        J.Same([.. batches[..2], .. more], J.ReadAll(Dir));
    }

    [Fact]
    public void Recovery_refuses_a_corrupted_middle_frame_and_changes_nothing()
    {
        var starts = WriteFramesOneByOne(J.Sequence(1, 2, 3, 4, 5));
        FlipByte(SegmentPath(1), starts[2] + 20);   // inside the third frame's payload
        var bytes = File.ReadAllBytes(SegmentPath(1));

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains($"segment {JournalFormat.SegmentName(1)} is damaged at offset {starts[2]}", error.Message);
        Assert.Contains("CRC-32C", error.Message);
        Assert.Contains("LSN 4-6 cannot be read", error.Message);
        Assert.Contains("steme recover --salvage", error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(SegmentPath(1)));
    }

    [Fact]
    public void Recovery_skips_damage_in_frames_the_store_already_applied()
    {
        var batches = J.Sequence(1, 2, 3, 4, 5);
        var starts = WriteFramesOneByOne(batches);
        FlipByte(SegmentPath(1), starts[1] + 20);   // the second frame, LSN 2-3

        var result = JournalRecovery.Recover(Fs, Dir, new StoreMarks(Applied: 6, Durable: 6), RecoveryMode.Normal, 1 << 20);
        Assert.Equal((15L, 16L), (result.LastLsn, result.NextLsn));
        Assert.Empty(result.Lost);
        Assert.Contains("already applied (LSN 2-3): nothing lost", result.Recovered);
        J.Same(batches[3..], J.ReadAll(Dir, 6));
        Assert.Single(Directory.GetDirectories(_folder.Path, "journal.damaged-*"));
        Assert.Null(JournalRecovery.Recover(Fs, Dir, new StoreMarks(6, 6), RecoveryMode.Normal, 1 << 20).Recovered);
    }

    [Fact]
    public void Recovery_refuses_a_corrupt_frame_in_a_middle_segment()
    {
        var batches = J.Sequence(2, 2, 2, 2, 2);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        var segments = J.SegmentPaths(Dir);
        Assert.Equal(5, segments.Length);
        // The last byte of the segment's one frame, before the seal that closes the segment.
        FlipByte(segments[1], new FileInfo(segments[1]).Length - 1 - JournalFormat.SealFrame(0).Length);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains($"segment {Path.GetFileName(segments[1])} is damaged at offset {JournalFormat.HeaderSize}", error.Message);
        Assert.Equal(5, J.SegmentPaths(Dir).Length);
    }

    [Fact]
    public void Recovery_cuts_a_final_frame_whose_checksum_matches_but_which_does_not_decode()
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
        Assert.Contains("unknown type 9", result.Recovered);
    }

    [Fact]
    public void Recovery_takes_a_zero_filled_tail_for_space_allocated_ahead_and_the_writer_appends_where_the_frames_end()
    {
        J.Write(Dir, J.Sequence(3, 3));
        long written = new FileInfo(SegmentPath(1)).Length;
        using (var stream = new FileStream(SegmentPath(1), FileMode.Append)) stream.Write(new byte[100]);

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal((6L, 0L, (string?)null), (result.LastLsn, result.TruncatedBytes, result.Recovered));
        J.Write(Dir, [J.Votes(7, 2)]);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], J.ReadAll(Dir).SelectMany(b => b.Ops).Select(op => op.Lsn));
        Assert.True(new FileInfo(SegmentPath(1)).Length > written);
    }

    [Fact]
    public void Recovery_cuts_a_zero_frame_header_with_data_after_it_as_a_torn_tail()
    {
        J.Write(Dir, J.Sequence(3, 3));
        long end = new FileInfo(SegmentPath(1)).Length;
        // A crash wrote the end of a frame, not its start, into space allocated ahead.
        using (var stream = new FileStream(SegmentPath(1), FileMode.Append)) stream.Write([.. new byte[40], .. Enumerable.Repeat((byte)7, 20)]);

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.Equal((6L, 60L), (result.LastLsn, result.TruncatedBytes));
        Assert.Contains("zero frame header with data after it", result.Recovered);
        Assert.Equal(end, new FileInfo(SegmentPath(1)).Length);
    }

    [Fact]
    public void Recovery_removes_a_newest_segment_with_a_torn_header()
    {
        J.Write(Dir, J.Sequence(3));
        File.WriteAllBytes(SegmentPath(4), "STEMEJNL\u0001"u8.ToArray());   // a crash right after creating it

        var result = JournalRecovery.Recover(Fs, Dir);
        Assert.False(File.Exists(SegmentPath(4)));
        Assert.Equal((3L, 1, 9L), (result.LastLsn, result.Segments, result.TruncatedBytes));
        Assert.Contains("shorter than its 32-byte header", result.Recovered);
        J.Write(Dir, [J.Votes(4, 1)]);
        Assert.Equal(2, J.ReadAll(Dir).Count);
    }

    [Fact]
    public void Recovery_refuses_an_lsn_gap_between_segments()
    {
        var batches = J.Sequence(1, 1, 1, 1);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Delete(J.SegmentPaths(Dir)[1]);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains($"LSN 2-2 are missing between segments {JournalFormat.SegmentName(1)} and {JournalFormat.SegmentName(3)}", error.Message);
        Assert.Equal(3, J.SegmentPaths(Dir).Length);
    }

    [Fact]
    public void Recovery_accepts_missing_segments_whose_lsns_the_store_applied()
    {
        var batches = J.Sequence(1, 1, 1, 1);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Delete(J.SegmentPaths(Dir)[1]);
        File.Delete(J.SegmentPaths(Dir)[0]);

        var result = JournalRecovery.Recover(Fs, Dir, new StoreMarks(Applied: 2, Durable: 4), RecoveryMode.Normal, 1);
        Assert.Equal((4L, 5L, (string?)null), (result.LastLsn, result.NextLsn, result.Recovered));
        J.Same(batches[2..], J.ReadAll(Dir, 2));
    }

    [Fact]
    public void Recovery_refuses_a_journal_that_starts_after_the_applied_watermark()
    {
        var batches = J.Sequence(1, 1, 1, 1);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Delete(J.SegmentPaths(Dir)[0]);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 4), RecoveryMode.Normal, 1));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains($"the journal starts at LSN 2 (segment {JournalFormat.SegmentName(2)}), but the store has applied only up to LSN 0, so LSN 1-1 are missing", error.Message);
    }

    [Fact]
    public void Recovery_refuses_a_journal_that_ends_before_what_the_store_recorded_as_durable()
    {
        J.Write(Dir, J.Sequence(1, 1, 1, 1), new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Delete(J.SegmentPaths(Dir)[^1]);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir, new StoreMarks(1, 4), RecoveryMode.Normal, 1));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains("the store recorded LSN 4 as durable, but the journal ends at LSN 3 and the store has applied only up to LSN 1, so LSN 4-4 are missing", error.Message);
        // The sealed segment before it shows that a newer one existed, which may have held writes the store never recorded.
        Assert.Contains($"the writer started segment {JournalFormat.SegmentName(4)} (from LSN 4), but that segment is missing", error.Message);
        error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir, new StoreMarks(4, 4), RecoveryMode.Normal, 1));
        Assert.Contains("the newest segment was deleted", error.Message);
    }

    [Fact]
    public void The_writer_seals_each_segment_it_leaves_with_the_next_segments_first_lsn()
    {
        J.Write(Dir, J.Sequence(2, 3, 1), new JournalOptions { SegmentBytes = 1, Fsync = false });
        var segments = J.SegmentPaths(Dir);
        Assert.Equal(3, segments.Length);
        Assert.Equal([3L, 6L, null], segments.Select(SealedNext));
    }

    private static long? SealedNext(string path)
    {
        using var file = Fs.OpenRead(path);
        var scanner = new SegmentScanner(file);
        JournalFormat.TryParseSegmentName(Path.GetFileName(path), out long first);
        Assert.Equal(ScanStatus.Ok, scanner.ReadHeader(path, first));
        while (scanner.Next(validateOps: true, out _, out _, out _) == ScanStatus.Ok) { }
        return scanner.SealedNext;
    }

    // A crash while the writer seals the segment it leaves: the new segment has its header and no frame yet.
    [Fact]
    public void A_torn_seal_before_an_empty_newest_segment_is_cut_and_nothing_is_lost()
    {
        var batches = J.Sequence(2, 3, 1);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        var segments = J.SegmentPaths(Dir);
        using (var newest = new FileStream(segments[2], FileMode.Open)) newest.SetLength(JournalFormat.HeaderSize);
        long sealAt = new FileInfo(segments[1]).Length - JournalFormat.SealFrame(0).Length;
        using (var leaving = new FileStream(segments[1], FileMode.Open)) leaving.SetLength(sealAt + 10);

        var result = JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 5), RecoveryMode.Normal, 1);

        Assert.Equal(5L, result.LastLsn);
        Assert.Contains($"cut a torn seal of {Path.GetFileName(segments[1])} at offset {sealAt}", result.Recovered);
        Assert.Equal(sealAt, new FileInfo(segments[1]).Length);
        J.Same(batches[..2], J.ReadAll(Dir));
    }

    // A crash right after the roll leaves the newest segment empty, but a flipped byte in the last frame before it is damage, not a torn seal.
    [Fact]
    public void A_damaged_last_frame_before_an_empty_newest_segment_is_damage()
    {
        J.Write(Dir, J.Sequence(2, 3, 1), new JournalOptions { SegmentBytes = 1, Fsync = false });
        var segments = J.SegmentPaths(Dir);
        using (var newest = new FileStream(segments[2], FileMode.Open)) newest.SetLength(JournalFormat.HeaderSize);
        FlipByte(segments[1], new FileInfo(segments[1]).Length - 1 - JournalFormat.SealFrame(0).Length);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 5), RecoveryMode.Normal, 1));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains(Path.GetFileName(segments[1]), error.Message);
    }

    [Fact]
    public void A_torn_end_of_a_segment_before_a_newest_segment_with_frames_is_damage()
    {
        J.Write(Dir, J.Sequence(2, 3, 1), new JournalOptions { SegmentBytes = 1, Fsync = false });
        var segments = J.SegmentPaths(Dir);
        using (var leaving = new FileStream(segments[1], FileMode.Open)) leaving.SetLength(leaving.Length - JournalFormat.SealFrame(0).Length + 10);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 6), RecoveryMode.Normal, 1));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains(Path.GetFileName(segments[1]), error.Message);
    }

    [Fact]
    public void Recovery_refuses_swapped_segment_names()
    {
        J.Write(Dir, J.Sequence(1, 1), new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Move(SegmentPath(1), Path.Combine(Dir, "swap"));
        File.Move(SegmentPath(2), SegmentPath(1));
        File.Move(Path.Combine(Dir, "swap"), SegmentPath(2));

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains($"segment {JournalFormat.SegmentName(1)} has a damaged header (the header says the first LSN is 2 but the file name says 1)", error.Message);
    }

    [Fact]
    public void Recovery_refuses_a_segment_from_a_newer_format_and_keeps_it()
    {
        J.Write(Dir, J.Sequence(2));
        var bytes = File.ReadAllBytes(SegmentPath(1));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), JournalFormat.Version + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), Crc32C.Compute(bytes.AsSpan(0, 28)));
        File.WriteAllBytes(SegmentPath(1), bytes);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Contains($"version {JournalFormat.Version + 1}", error.Message);
        Assert.Contains("newer StemeQL", error.Message);
        Assert.Equal(bytes.Length, new FileInfo(SegmentPath(1)).Length);
    }

    [Fact]
    public void Recovery_refuses_a_segment_whose_header_is_damaged()
    {
        J.Write(Dir, [J.Votes(1, 2)]);
        J.Write(Dir, [J.Votes(3, 2)], new JournalOptions { SegmentBytes = 1, Fsync = false });
        FlipByte(SegmentPath(3), 17);

        var error = Assert.Throws<StemeException>(() => JournalRecovery.Recover(Fs, Dir));
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains($"segment {JournalFormat.SegmentName(3)} has a damaged header", error.Message);
        Assert.Contains("valid frames from LSN 3 to 4", error.Message);
        Assert.True(File.Exists(SegmentPath(3)));
    }

    [Fact]
    public void Salvage_keeps_every_valid_frame_after_a_damaged_one_and_reports_the_lost_lsns()
    {
        var batches = J.Sequence(1, 2, 3, 4, 5);
        var starts = WriteFramesOneByOne(batches);
        FlipByte(SegmentPath(1), starts[2] + 4);   // the third frame's CRC: LSN 4-6

        var result = JournalRecovery.Recover(Fs, Dir, StoreMarks.None, RecoveryMode.Salvage, 1 << 20);
        Assert.Equal([new LsnRange(4, 6)], result.Lost);
        Assert.Contains("salvage lost LSN 4-6 (3 in all)", result.Recovered);
        Assert.Equal((15L, 16L), (result.LastLsn, result.NextLsn));
        J.Same([batches[0], batches[1], batches[3], batches[4]], J.ReadAll(Dir));
        // The rewritten journal is valid: a normal recovery finds nothing, and writing carries on.
        Assert.Null(JournalRecovery.Recover(Fs, Dir).Recovered);
        J.Write(Dir, [J.Votes(16, 1)]);
        Assert.Equal(5, J.ReadAll(Dir).Count);
        var damaged = Assert.Single(Directory.GetDirectories(_folder.Path, "journal.damaged-*"));
        Assert.Single(Directory.GetFiles(damaged));
    }

    [Fact]
    public void Salvage_of_a_deleted_middle_segment_reports_its_lsns_and_keeps_the_rest()
    {
        var batches = J.Sequence(2, 2, 2, 2, 2);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Delete(J.SegmentPaths(Dir)[2]);

        var result = JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 10), RecoveryMode.Salvage, 1 << 20);
        Assert.Equal([new LsnRange(5, 6)], result.Lost);
        J.Same([batches[0], batches[1], batches[3], batches[4]], J.ReadAll(Dir));
        Assert.Null(JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 10), RecoveryMode.Normal, 1 << 20).Recovered);
    }

    [Fact]
    public void Salvage_of_swapped_segment_names_loses_nothing()
    {
        var batches = J.Sequence(1, 1);
        J.Write(Dir, batches, new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Move(SegmentPath(1), Path.Combine(Dir, "swap"));
        File.Move(SegmentPath(2), SegmentPath(1));
        File.Move(Path.Combine(Dir, "swap"), SegmentPath(2));

        var result = JournalRecovery.Recover(Fs, Dir, StoreMarks.None, RecoveryMode.Salvage, 1 << 20);
        Assert.Empty(result.Lost);
        J.Same(batches, J.ReadAll(Dir));
    }

    [Fact]
    public void Salvage_of_a_deleted_newest_segment_starts_new_lsns_past_any_it_could_have_held()
    {
        J.Write(Dir, J.Sequence(1, 1, 1, 1), new JournalOptions { SegmentBytes = 1, Fsync = false });
        File.Delete(J.SegmentPaths(Dir)[^1]);

        var result = JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 4), RecoveryMode.Salvage, 1 << 20);
        Assert.Equal([new LsnRange(4, 4)], result.Lost);
        Assert.Equal(4 + JournalFormat.MaxPayloadLength / JournalFormat.MinOpLength, result.NextLsn);
        Assert.Contains("the newest segment (from LSN 4) had been deleted", result.Recovered);
        Assert.Null(JournalRecovery.Recover(Fs, Dir, new StoreMarks(3, 4), RecoveryMode.Normal, 1 << 20).Recovered);
    }

    [Fact]
    public void Salvage_of_a_lost_end_makes_the_next_lsn_follow_what_was_durable()
    {
        J.Write(Dir, J.Sequence(1, 1, 1, 1), new JournalOptions { SegmentBytes = 1, Fsync = false });
        using (var newest = new FileStream(J.SegmentPaths(Dir)[^1], FileMode.Open)) newest.SetLength(JournalFormat.HeaderSize);

        var result = JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 4), RecoveryMode.Salvage, 1 << 20);
        Assert.Equal([new LsnRange(4, 4)], result.Lost);
        Assert.Equal(5L, result.NextLsn);
        // The journal now says LSN 4 is gone for good, so a normal open accepts it.
        Assert.Equal(5L, JournalRecovery.Recover(Fs, Dir, new StoreMarks(0, 4), RecoveryMode.Normal, 1 << 20).NextLsn);
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

    // Writes each batch with its own writer, so all land in segment 1; returns each frame's offset.
    private List<long> WriteFramesOneByOne(IEnumerable<JournalBatch> batches)
    {
        var starts = new List<long>();
        foreach (var batch in batches)
        {
            starts.Add(File.Exists(SegmentPath(1)) ? new FileInfo(SegmentPath(1)).Length : JournalFormat.HeaderSize);
            J.Write(Dir, [batch]);
        }
        return starts;
    }

    private string SegmentPath(long firstLsn) => Path.Combine(Dir, JournalFormat.SegmentName(firstLsn));

    private static void FlipByte(string path, long offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }
}

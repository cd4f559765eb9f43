using System.Buffers.Binary;
using System.Globalization;

namespace StemeQL.Storage.Journal;

/*
 * Journal format, version 2 (version 1 had no seal frames; it reads the same). All integers are
 * little-endian unless said otherwise.
 *
 * The journal is a folder of segment files named "{firstLsn:D20}.wal" (the LSN of the segment's first
 * frame, zero-padded so names sort in LSN order). Frames are only ever appended at the tail of the
 * newest segment; a frame never spans two segments.
 *
 * Segment header (32 bytes):
 *   0  magic "STEMEJNL" (8 bytes ASCII)
 *   8  u16 format version = 1
 *  10  u16 flags; bit 0 "discontinuous": the segment's first LSN does not follow the previous
 *      segment's last LSN (the writer was opened with a next LSN ahead of the journal). Without the
 *      flag a gap between segments is corruption.
 *  12  u32 reserved (0)
 *  16  u64 first LSN (equals the number in the file name)
 *  24  u32 reserved (0)
 *  28  u32 CRC-32C of bytes 0..27
 *
 * Frame (one atomic batch): [u32 payloadLength][u32 CRC-32C(payload)][payload]
 *   payload = [u64 firstLsn][i64 ticks (UTC)][varint count >= 1] then `count` ops, LSNs consecutive:
 *     assert (type 1): u8 1, f64 confidence, subject, predicate, object, epoch, agent,
 *                      varint lineage count, then 32-byte hashes
 *     vote   (type 2): u8 2, 32-byte assertion hash, agent, f64 weight
 *   Strings, objects and varints use CanonicalEncoding (UTF-8 with a LEB128 length; the object is its
 *   type byte then a big-endian integer or real, a boolean byte, or a length-prefixed text/bytes).
 *   A bytes object kept in the object store is the type byte 0x85 (bytes | 0x80), its 32-byte
 *   SHA-256, then its varint length; the object is durable in the store before the frame is written.
 *   The assertion hash is not stored: decoding rebuilds the Assertion, which recomputes it.
 *
 * Seal (version 2): when the writer starts a new segment it ends the previous one with a seal frame,
 * [u32 16][u32 CRC-32C(payload)][u64 next segment's first LSN]["STEMESEL"], written and synced only
 * once the new segment's file is durable. A payload of 16 bytes is shorter than any batch, so a seal is
 * never mistaken for one. A sealed segment with no segment after it therefore means the newest segment
 * was deleted, which recovery reports as damage (the journal's tail cannot vanish silently that way).
 *
 * A frame whose length is 0 or impossible, whose CRC does not match, whose payload does not decode or
 * whose first LSN does not follow the previous frame is invalid. At the tail of the newest segment, with
 * no valid frame after it, that is a torn write and recovery cuts it; anywhere else it is damage (see
 * JournalRecovery). Frames are self-delimiting and checksummed, so a reader can resynchronise on the
 * next valid frame (SegmentScanner.TryResync).
 */
internal static class JournalFormat
{
    public const ushort Version = 2;
    public const int HeaderSize = 32;
    public const int FrameHeaderSize = 8;
    public const string SegmentExtension = ".wal";
    public const ushort DiscontinuousFlag = 1;

    // Smallest possible payload: LSN, ticks, a 1-byte count and the smallest op, an assert of empty
    // strings with a boolean object (type, confidence, 2 + 2 + 3 bytes, no lineage).
    public const int MinOpLength = 1 + 8 + 1 + 1 + 2 + 1 + 1 + 1;
    public const int MinPayloadLength = 8 + 8 + 1 + MinOpLength;

    /// <summary>The payload length of a seal frame: the next segment's first LSN and <see cref="SealMagic"/>.</summary>
    public const int SealPayloadLength = 16;

    /// <summary>The bytes a seal frame takes in a segment: its frame header and payload.</summary>
    public const int SealFrameLength = FrameHeaderSize + SealPayloadLength;

    // Far above any sane batch, far below what an array can hold; a bigger length is corruption.
    public const int MaxPayloadLength = 1 << 30;

    private const int SegmentDigits = 20;

    private static ReadOnlySpan<byte> Magic => "STEMEJNL"u8;

    private static ReadOnlySpan<byte> SealMagic => "STEMESEL"u8;

    /// <summary>The seal frame that closes a segment whose successor starts at <paramref name="nextLsn"/>.</summary>
    public static byte[] SealFrame(long nextLsn)
    {
        var frame = new byte[SealFrameLength];
        var payload = frame.AsSpan(FrameHeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(payload, nextLsn);
        SealMagic.CopyTo(payload[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, SealPayloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32C.Compute(payload));
        return frame;
    }

    /// <summary>The next segment's first LSN, when <paramref name="payload"/> (whose CRC matched) is a seal's.</summary>
    public static bool TryReadSeal(ReadOnlySpan<byte> payload, out long nextLsn)
    {
        nextLsn = 0;
        if (payload.Length != SealPayloadLength || !payload[8..].SequenceEqual(SealMagic)) return false;
        nextLsn = BinaryPrimitives.ReadInt64LittleEndian(payload);
        return true;
    }

    /// <summary>The data folder a journal directory (<c>folder/journal</c>) belongs to.</summary>
    public static string DataFolderOf(string journalDirectory) =>
        Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(journalDirectory)) ?? journalDirectory;

    public static string SegmentName(long firstLsn) =>
        firstLsn.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    public static bool TryParseSegmentName(string fileName, out long firstLsn)
    {
        firstLsn = 0;
        if (fileName.Length != SegmentDigits + SegmentExtension.Length
            || !fileName.EndsWith(SegmentExtension, StringComparison.Ordinal))
            return false;
        var digits = fileName.AsSpan(0, SegmentDigits);
        foreach (char c in digits)
            if (c is < '0' or > '9') return false;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out firstLsn) && firstLsn >= 1;
    }

    public static void WriteHeader(Span<byte> destination, long firstLsn, bool discontinuous)
    {
        var header = destination[..HeaderSize];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], discontinuous ? DiscontinuousFlag : (ushort)0);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], firstLsn);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
    }

    /// <summary>
    /// Parses a segment header. Returns null and sets <paramref name="problem"/> when it is damaged;
    /// throws when it is intact but from a newer format (never delete what we cannot read).
    /// </summary>
    public static SegmentHeader? ReadHeader(ReadOnlySpan<byte> header, string segmentPath, out string? problem)
    {
        problem = null;
        if (!header[..8].SequenceEqual(Magic))
        {
            problem = "the segment header does not start with STEMEJNL";
            return null;
        }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version > Version)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The journal segment '{segmentPath}' has format version {version}, but this StemeQL reads version {Version}: a newer StemeQL wrote it. Open the database with that version.");
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(header[28..]);
        uint computed = Crc32C.Compute(header[..28]);
        if (version == 0 || stored != computed)
        {
            problem = $"the segment header is damaged (version {version}, CRC-32C 0x{stored:x8}, computed 0x{computed:x8})";
            return null;
        }
        long firstLsn = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if (firstLsn < 1)
        {
            problem = $"the segment header has an impossible first LSN {firstLsn}";
            return null;
        }
        return new SegmentHeader(firstLsn, (flags & DiscontinuousFlag) != 0);
    }
}

internal readonly record struct SegmentHeader(long FirstLsn, bool Discontinuous);

using System.Buffers.Binary;

namespace StemeQL.Storage.Journal;

internal enum ScanStatus
{
    /// <summary>A valid frame (or header) was read.</summary>
    Ok,
    /// <summary>The segment ends cleanly here.</summary>
    End,
    /// <summary>The data stops in the middle of a header or frame (a crash while appending).</summary>
    Torn,
    /// <summary>The data is complete but wrong (checksum, length, LSN or encoding).</summary>
    Corrupt,
}

/// <summary>
/// Reads one segment front to back through a large buffer, validating the header and each frame.
/// <see cref="Offset"/> is always the end of the valid data read so far: where recovery truncates.
/// </summary>
internal sealed class SegmentScanner
{
    private readonly IJournalFile _file;
    private readonly long _length;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferCount;

    public SegmentScanner(IJournalFile file, int bufferSize = 1 << 20)
    {
        _file = file;
        _length = file.Length;
        _buffer = new byte[(int)Math.Clamp(_length, JournalFormat.HeaderSize, bufferSize)];
    }

    public long Length => _length;

    public long Offset { get; private set; }

    public SegmentHeader Header { get; private set; }

    /// <summary>The LSN the next frame must start with.</summary>
    public long NextLsn { get; private set; }

    /// <summary>
    /// The first LSN of the segment that follows, once <see cref="Next"/> has read this segment's seal (and
    /// returned <see cref="ScanStatus.End"/>); null while no seal was read.
    /// </summary>
    public long? SealedNext { get; private set; }

    /// <summary>What is wrong, after a Torn or Corrupt status.</summary>
    public string? Problem { get; private set; }

    /// <summary>Reads the header; <paramref name="nameLsn"/> is the first LSN the file name promises.</summary>
    public ScanStatus ReadHeader(string path, long nameLsn)
    {
        if (_length < JournalFormat.HeaderSize)
            return Fail(ScanStatus.Torn, $"the segment is {_length} bytes, shorter than its {JournalFormat.HeaderSize}-byte header");
        if (!TryFetch(0, JournalFormat.HeaderSize, out var bytes))
            return Fail(ScanStatus.Torn, "the segment shrank while it was read");
        if (JournalFormat.ReadHeader(bytes.Span, path, out var problem) is not { } header)
            return Fail(ScanStatus.Corrupt, problem!);
        if (header.FirstLsn != nameLsn)
            return Fail(ScanStatus.Corrupt, $"the header says the first LSN is {header.FirstLsn} but the file name says {nameLsn}");
        Header = header;
        Offset = JournalFormat.HeaderSize;
        NextLsn = header.FirstLsn;
        return ScanStatus.Ok;
    }

    /// <summary>
    /// Reads the next frame. On Ok, <paramref name="payload"/> is valid until the next call, and
    /// <paramref name="firstLsn"/>/<paramref name="count"/> describe the batch.
    /// </summary>
    public ScanStatus Next(bool validateOps, out ReadOnlyMemory<byte> payload, out long firstLsn, out int count)
    {
        payload = default;
        firstLsn = 0;
        count = 0;
        long left = _length - Offset;
        if (left == 0 || SealedNext is not null) return ScanStatus.End;
        if (left < JournalFormat.FrameHeaderSize)
            return Fail(ScanStatus.Torn, $"only {left} bytes of a frame header");
        if (!TryFetch(Offset, JournalFormat.FrameHeaderSize, out var head))
            return Fail(ScanStatus.Torn, "the segment shrank while it was read");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(head.Span);
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(head.Span[4..]);
        // Space the writer allocated ahead and has not written yet (PhysicalJournalFile) is zeros; data
        // after a zero header is a frame written out of order by a crash (or being written now).
        if (length == 0 && storedCrc == 0)
        {
            return ZerosToTheEnd(Offset)
                ? ScanStatus.End
                : Fail(ScanStatus.Torn, "a zero frame header with data after it (a frame being written, or torn by a crash)");
        }
        if (length == JournalFormat.SealPayloadLength) return Seal(storedCrc, left);
        if (length is < JournalFormat.MinPayloadLength or > JournalFormat.MaxPayloadLength)
            return Fail(ScanStatus.Corrupt, $"impossible frame length {length}");
        if (length > left - JournalFormat.FrameHeaderSize)
            return Fail(ScanStatus.Torn, $"a frame of {length + JournalFormat.FrameHeaderSize} bytes with only {left} bytes left");
        if (!TryFetch(Offset + JournalFormat.FrameHeaderSize, (int)length, out payload))
            return Fail(ScanStatus.Torn, "the segment shrank while it was read");
        uint crc = Crc32C.Compute(payload.Span);
        if (crc != storedCrc)
            return Fail(ScanStatus.Corrupt, $"CRC-32C mismatch (stored 0x{storedCrc:x8}, computed 0x{crc:x8})");
        if (!JournalCodec.TryReadPayloadHeader(payload.Span, out firstLsn, out count))
            return Fail(ScanStatus.Corrupt, "the frame's batch header does not decode");
        if (firstLsn != NextLsn)
            return Fail(ScanStatus.Corrupt, $"the frame starts at LSN {firstLsn} where LSN {NextLsn} was expected");
        if (validateOps && JournalCodec.Validate(payload.Span) is { } problem)
            return Fail(ScanStatus.Corrupt, $"the frame does not decode ({problem})");
        Offset += JournalFormat.FrameHeaderSize + length;
        NextLsn = firstLsn + count;
        return ScanStatus.Ok;
    }

    // A seal ends the segment: nothing but the zeros of space allocated ahead may follow it.
    private ScanStatus Seal(uint storedCrc, long left)
    {
        const int Length = JournalFormat.SealFrameLength;
        if (left < Length || !TryFetch(Offset + JournalFormat.FrameHeaderSize, JournalFormat.SealPayloadLength, out var payload))
            return Fail(ScanStatus.Torn, $"a seal frame with only {left} bytes left");
        if (Crc32C.Compute(payload.Span) != storedCrc || !JournalFormat.TryReadSeal(payload.Span, out long next))
            return Fail(ScanStatus.Corrupt, "a 16-byte frame that is not a valid seal");
        if (next < NextLsn)
            return Fail(ScanStatus.Corrupt, $"the seal names LSN {next} as the next segment's first, below LSN {NextLsn}");
        if (!ZerosToTheEnd(Offset + Length))
            return Fail(ScanStatus.Corrupt, "data after the segment's seal");
        Offset += Length;
        SealedNext = next;
        return ScanStatus.End;
    }

    /// <summary>Continues at <paramref name="offset"/>, where a frame starting at <paramref name="nextLsn"/> was found before.</summary>
    public void PositionAt(long offset, long nextLsn)
    {
        Offset = offset;
        NextLsn = nextLsn;
    }

    /// <summary>
    /// Looks for the next valid frame at or after <paramref name="from"/>: frames are checksummed and
    /// self-delimiting, so a position whose length is possible, whose CRC-32C matches and whose payload
    /// decodes is a frame. On success the scanner is positioned there (<see cref="NextLsn"/> is the
    /// frame's first LSN) and <see cref="Next"/> reads it. Only for damaged segments: it tries every offset.
    /// </summary>
    public bool TryResync(long from)
    {
        const int Probe = JournalFormat.FrameHeaderSize + 8;   // frame header and the payload's first LSN
        for (long position = Math.Max(from, JournalFormat.HeaderSize); position + JournalFormat.FrameHeaderSize + JournalFormat.MinPayloadLength <= _length; position++)
        {
            if (!TryFetch(position, Probe, out var head)) return false;
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(head.Span);
            if (length is < JournalFormat.MinPayloadLength or > JournalFormat.MaxPayloadLength
                || length > _length - position - JournalFormat.FrameHeaderSize)
                continue;
            // A cheap filter before the CRC: real LSNs are far below 2^48.
            long lsn = BinaryPrimitives.ReadInt64LittleEndian(head.Span[JournalFormat.FrameHeaderSize..]);
            if (lsn is < 1 or > MaxPlausibleLsn) continue;
            uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(head.Span[4..]);
            if (!TryFetch(position + JournalFormat.FrameHeaderSize, (int)length, out var payload)) continue;
            if (Crc32C.Compute(payload.Span) != storedCrc) continue;
            if (!JournalCodec.TryReadPayloadHeader(payload.Span, out long firstLsn, out _)) continue;
            if (JournalCodec.Validate(payload.Span) is not null) continue;
            Offset = position;
            NextLsn = firstLsn;
            Problem = null;
            return true;
        }
        return false;
    }

    private const long MaxPlausibleLsn = 1L << 48;

    private bool ZerosToTheEnd(long from)
    {
        const int Step = 1 << 16;
        for (long position = from; position < _length; position += Step)
        {
            int count = (int)Math.Min(Step, _length - position);
            if (!TryFetch(position, count, out var bytes)) return false;
            if (bytes.Span.ContainsAnyExcept((byte)0)) return false;
        }
        return true;
    }

    private ScanStatus Fail(ScanStatus status, string problem)
    {
        Problem = problem;
        return status;
    }

    // Serves [offset, offset + count) from the buffer, refilling it with one large read when needed.
    private bool TryFetch(long offset, int count, out ReadOnlyMemory<byte> bytes)
    {
        if (offset < _bufferStart || offset + count > _bufferStart + _bufferCount)
        {
            if (count > _buffer.Length) _buffer = new byte[Math.Max(count, (int)Math.Min((long)_buffer.Length * 2, Array.MaxLength))];
            int want = (int)Math.Min(_buffer.Length, _length - offset);
            int got = 0;
            while (got < want)
            {
                int read = _file.Read(offset + got, _buffer.AsSpan(got, want - got));
                if (read <= 0) break;
                got += read;
            }
            _bufferStart = offset;
            _bufferCount = got;
        }
        if (offset + count > _bufferStart + _bufferCount)
        {
            bytes = default;
            return false;
        }
        bytes = _buffer.AsMemory((int)(offset - _bufferStart), count);
        return true;
    }
}

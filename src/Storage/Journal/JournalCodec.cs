using System.Buffers.Binary;
using StemeQL.Core.Encoding;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Journal;

/// <summary>Encodes batches into frames and decodes frame payloads (format in JournalFormat.cs).</summary>
internal static partial class JournalCodec
{
    public const byte AssertType = 1;
    public const byte VoteType = 2;

    /// <summary>The object type byte of a bytes value kept in the object store (<see cref="ObjectType.Bytes"/> with the high bit set).</summary>
    public const byte ExternalBytesType = 0x80 | (byte)ObjectType.Bytes;

    /// <summary>
    /// Encodes a whole frame (header and payload) into a pooled array; the caller owns the array and
    /// gives it back with <see cref="FrameBuffer.Return"/>.
    /// </summary>
    public static (byte[] Frame, int Length) EncodeFrame(JournalBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(batch.Ops);
        if (batch.Ops.Count == 0) throw new ArgumentException("A journal batch holds at least one op.", nameof(batch));
        ArgumentOutOfRangeException.ThrowIfLessThan(batch.FirstLsn, Lsn.First);

        var buffer = new FrameBuffer(EstimateFrameLength(batch));
        try
        {
            buffer.Advance(JournalFormat.FrameHeaderSize);
            var head = buffer.GetSpan(16);
            BinaryPrimitives.WriteInt64LittleEndian(head, batch.FirstLsn);
            BinaryPrimitives.WriteInt64LittleEndian(head[8..], batch.Ticks);
            buffer.Advance(16);
            CanonicalEncoding.WriteVarint(buffer, (ulong)batch.Ops.Count);
            long lsn = batch.FirstLsn;
            foreach (var op in batch.Ops)
            {
                if (op is null || op.Lsn != lsn)
                    throw new ArgumentException($"Op {lsn - batch.FirstLsn} of the batch is missing or does not have LSN {lsn}: a batch's LSNs are consecutive.", nameof(batch));
                WriteOp(buffer, op);
                lsn++;
            }
            var frame = buffer.WrittenSpan;
            var payload = frame[JournalFormat.FrameHeaderSize..];
            BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32C.Compute(payload));
            return (buffer.Array, buffer.WrittenCount);
        }
        catch
        {
            buffer.Release();
            throw;
        }
    }

    private static void WriteOp(FrameBuffer buffer, JournalOp op)
    {
        switch (op)
        {
            case JournalAssert { Assertion: var a }:
            {
                var span = buffer.GetSpan(9);
                span[0] = AssertType;
                BinaryPrimitives.WriteDoubleLittleEndian(span[1..], a.Confidence);
                buffer.Advance(9);
                WriteString(buffer, a.Subject);
                WriteString(buffer, a.Predicate);
                WriteValue(buffer, a.Object);
                WriteString(buffer, a.Epoch);
                WriteString(buffer, a.Agent);
                CanonicalEncoding.WriteVarint(buffer, (ulong)a.Lineage.Count);
                foreach (var hash in a.Lineage)
                {
                    hash.Bytes.CopyTo(buffer.GetSpan(ContentHash.Size));
                    buffer.Advance(ContentHash.Size);
                }
                break;
            }
            case JournalVote { Vote: var v }:
            {
                var span = buffer.GetSpan(1 + ContentHash.Size);
                span[0] = VoteType;
                v.Assertion.Bytes.CopyTo(span[1..]);
                buffer.Advance(1 + ContentHash.Size);
                WriteString(buffer, v.Agent);
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), v.Weight);
                buffer.Advance(8);
                break;
            }
            default:
                throw new ArgumentException($"A journal op is an assert or a vote, not {op.GetType().Name}.", nameof(op));
        }
    }

    // As the canonical encoding, except that bytes are written whole (the journal must hold the value,
    // not only its digest), and a value kept in the object store as ExternalBytesType, its SHA-256 and
    // its varint length.
    private static void WriteValue(FrameBuffer buffer, StemeValue value)
    {
        if (value.Kind != ValueKind.Bytes)
        {
            CanonicalEncoding.WriteValue(buffer, value);
            return;
        }
        if (value.IsExternal)
        {
            var reference = value.AsObjectReference;
            var span = buffer.GetSpan(1 + ContentHash.Size);
            span[0] = ExternalBytesType;
            reference.Hash.Bytes.CopyTo(span[1..]);
            buffer.Advance(1 + ContentHash.Size);
            CanonicalEncoding.WriteVarint(buffer, (ulong)reference.Length);
            return;
        }
        buffer.GetSpan(1)[0] = (byte)ObjectType.Bytes;
        buffer.Advance(1);
        CanonicalEncoding.WriteVarint(buffer, (ulong)value.AsBytes.Length);
        System.Buffers.BuffersExtensions.Write(buffer, value.AsBytes);
    }

    // The same bytes as CanonicalEncoding.WriteString, faster for the usual short string: at most 42
    // UTF-16 chars make at most 126 UTF-8 bytes, so the length is one varint byte written after the
    // text is (no separate byte count pass, no interface calls).
    private static void WriteString(FrameBuffer buffer, string text)
    {
        const int MaxShortChars = 42;
        if (text.Length > MaxShortChars)
        {
            CanonicalEncoding.WriteString(buffer, text);
            return;
        }
        var span = buffer.GetSpan(1 + (MaxShortChars * 3));
        int length = System.Text.Encoding.UTF8.GetBytes(text, span[1..]);
        span[0] = (byte)length;
        buffer.Advance(1 + length);
    }

    // A guess good enough that a typical batch is encoded without regrowing the buffer.
    private static int EstimateFrameLength(JournalBatch batch)
    {
        int perOp = batch.Ops[0] switch
        {
            JournalAssert { Assertion: var a } => 48 + a.Subject.Length + a.Predicate.Length + a.Epoch.Length + a.Agent.Length
                + (32 * a.Lineage.Count)
                + (a.Object.Kind switch { ValueKind.Text => a.Object.AsText.Length, ValueKind.Bytes when !a.Object.IsExternal => a.Object.AsBytes.Length, _ => 0 }),
            JournalVote { Vote: var v } => 48 + v.Agent.Length,
            _ => 64,
        };
        return (int)Math.Min(64 + ((long)perOp * batch.Ops.Count), 64L << 20);
    }
}

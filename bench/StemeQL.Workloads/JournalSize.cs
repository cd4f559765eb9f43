using System.Buffers;
using StemeQL.Core.Encoding;
using StemeQL.Core.Model;

namespace StemeQL.Workloads;

/// <summary>
/// The bytes the journal writes for votes and assertions (format in src/Storage/Journal/JournalFormat.cs),
/// so the raw-append baseline writes exactly as many bytes, in the same batches, as the store does.
/// </summary>
internal static class JournalSize
{
    /// <summary>Frame header (length, CRC) plus the payload's first LSN, ticks and op count.</summary>
    public static long FrameOverhead(long ops) => 8 + 8 + 8 + VarintLength((ulong)ops);

    /// <summary>A vote op: type, 32-byte hash, agent, weight.</summary>
    public static long Vote(string agent) => 1 + ContentHash.Size + StringLength(agent) + 8;

    /// <summary>An assert op: type, confidence, subject, predicate, object, epoch, agent, lineage.</summary>
    public static long Assert(Assertion assertion)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        CanonicalEncoding.WriteValue(buffer, assertion.Object);
        return 1 + 8 + StringLength(assertion.Subject) + StringLength(assertion.Predicate) + buffer.WrittenCount
            + StringLength(assertion.Epoch) + StringLength(assertion.Agent)
            + VarintLength((ulong)assertion.Lineage.Count) + ((long)ContentHash.Size * assertion.Lineage.Count);
    }

    /// <summary>Bytes of <paramref name="ops"/> ops of <paramref name="opBytes"/> each, written <paramref name="batch"/> per frame.</summary>
    public static long Total(long ops, long opBytes, long batch) =>
        (ops * opBytes) + ((ops / batch) * FrameOverhead(batch)) + (ops % batch == 0 ? 0 : FrameOverhead(ops % batch));

    private static long StringLength(string text)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(text);
        return VarintLength((ulong)length) + length;
    }

    private static int VarintLength(ulong value)
    {
        int length = 1;
        for (; value >= 0x80; value >>= 7) length++;
        return length;
    }
}

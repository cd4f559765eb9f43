using System.Buffers;

namespace StemeQL.Storage.Journal;

/// <summary>
/// A growable buffer over pooled arrays that a frame is encoded into. Pooled because a bulk load
/// encodes a multi-megabyte frame per batch; the array goes back to the pool once the frame is on disk.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private const int MaxFrameLength = JournalFormat.FrameHeaderSize + JournalFormat.MaxPayloadLength;

    private byte[] _array;
    private int _written;

    public FrameBuffer(int initialCapacity) =>
        _array = ArrayPool<byte>.Shared.Rent(Math.Clamp(initialCapacity, 256, MaxFrameLength));

    public int WrittenCount => _written;

    public byte[] Array => _array;

    public Span<byte> WrittenSpan => _array.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _array.Length - _written) throw new InvalidOperationException("Advanced past the end of the buffer.");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Returns the array to the pool; the buffer must not be used afterwards.</summary>
    public void Release() => Return(_array);

    public static void Return(byte[] array) => ArrayPool<byte>.Shared.Return(array);

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_array.Length - _written >= sizeHint) return;
        long needed = (long)_written + sizeHint;
        if (needed > MaxFrameLength)
        {
            throw new ArgumentException(
                $"The batch encodes to more than {JournalFormat.MaxPayloadLength} bytes, the largest journal frame: split it into smaller batches.");
        }
        int size = (int)Math.Min(Math.Max(needed, (long)_array.Length * 2), MaxFrameLength);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, _written).CopyTo(bigger);
        Return(_array);
        _array = bigger;
    }
}

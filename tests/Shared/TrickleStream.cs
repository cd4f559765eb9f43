namespace StemeQL.TestSupport;

/// <summary>
/// A forward-only stream of <c>chunks</c> chunks of <c>chunkSize</c> zero bytes, each after a pause of
/// <c>delay</c>: a caller's parameter stream that takes a known while to read (a slow disk or network).
/// The async reads observe their token, as a well-behaved stream's do.
/// </summary>
internal sealed class TrickleStream(int chunks, int chunkSize, TimeSpan delay) : ForwardOnlyStream
{
    private int _read;

    /// <summary>How many bytes the stream holds in all.</summary>
    public long TotalLength => (long)chunks * chunkSize;

    /// <summary>How many chunks have been read so far.</summary>
    public int ChunksRead => Volatile.Read(ref _read);

    public override int Read(Span<byte> buffer)
    {
        if (ChunksRead == chunks) return 0;
        Thread.Sleep(delay);
        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (ChunksRead == chunks) return 0;
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Take(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, chunkSize);
        buffer[..n].Clear();
        Interlocked.Increment(ref _read);
        return n;
    }
}

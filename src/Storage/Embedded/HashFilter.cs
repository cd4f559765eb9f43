using System.Buffers.Binary;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// A Bloom filter over content hashes: "certainly not added" or "maybe added". Content hashes are
/// SHA-256 and so already uniformly random, so the probes are read straight out of the hash's bytes
/// (seven 32-bit windows) instead of hashing again. Sized at 10 to 20 bits per expected entry, about
/// 1% false positives at <see cref="Capacity"/>. Adds may run on several threads at once.
/// </summary>
internal sealed class HashFilter
{
    private const int Probes = 7;
    private const int BitsPerEntry = 10;
    private const long MinBits = 1L << 10;
    private const long MaxBits = 1L << 32;

    private readonly ulong[] _words;
    private readonly ulong _bitMask;
    private long _count;

    /// <summary>A filter for about <paramref name="capacity"/> entries before its false-positive rate passes ~1%.</summary>
    public HashFilter(long capacity)
    {
        long bits = MinBits;
        while (bits < capacity * BitsPerEntry && bits < MaxBits) bits <<= 1;
        _words = new ulong[bits / 64];
        _bitMask = (ulong)bits - 1;
    }

    /// <summary>How many entries the filter holds at about 1% false positives.</summary>
    public long Capacity => (long)(_bitMask + 1) / BitsPerEntry;

    /// <summary>How many adds it has seen (an entry added twice counts twice).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The filter's memory, for status and tests.</summary>
    public long Bytes => _words.LongLength * sizeof(ulong);

    /// <summary>Adds a hash given as its 32 bytes.</summary>
    public void Add(ReadOnlySpan<byte> hash)
    {
        for (int i = 0; i < Probes; i++)
        {
            ulong bit = Probe(hash, i);
            Interlocked.Or(ref _words[bit >> 6], 1UL << (int)(bit & 63));
        }
        Interlocked.Increment(ref _count);
    }

    /// <summary>Adds a hash.</summary>
    public void Add(ContentHash hash) => Add(hash.Bytes);

    /// <summary>False when <paramref name="hash"/> was certainly never added; true when it may have been.</summary>
    public bool MightContain(ContentHash hash)
    {
        var bytes = hash.Bytes;
        for (int i = 0; i < Probes; i++)
        {
            ulong bit = Probe(bytes, i);
            if ((Volatile.Read(ref _words[bit >> 6]) & (1UL << (int)(bit & 63))) == 0) return false;
        }
        return true;
    }

    private ulong Probe(ReadOnlySpan<byte> hash, int i) =>
        BinaryPrimitives.ReadUInt32LittleEndian(hash.Slice(i * sizeof(uint), sizeof(uint))) & _bitMask;
}

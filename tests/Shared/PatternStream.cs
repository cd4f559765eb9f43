using System.Security.Cryptography;
using StemeQL.Core.Model;

namespace StemeQL.TestSupport;

/// <summary>A forward-only stream of <c>length</c> pseudo-random bytes made on the fly: a large value that never sits in memory.</summary>
internal sealed class PatternStream(long length, int seed) : ForwardOnlyStream
{
    private readonly Random _random = new(seed);
    private long _position;

    public static ContentHash Hash(long length, int seed)
    {
        using var stream = new PatternStream(length, seed);
        return ContentHash.FromBytes(SHA256.HashData(stream));
    }

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, length - _position);
        _random.NextBytes(buffer[..n]);
        _position += n;
        return n;
    }
}

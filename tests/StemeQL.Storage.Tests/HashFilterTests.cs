using StemeQL.Core.Model;
using StemeQL.Storage.Embedded;

namespace StemeQL.Storage.Tests;

public sealed class HashFilterTests
{
    private static ContentHash[] RandomHashes(int count, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[ContentHash.Size];
        return Enumerable.Range(0, count).Select(_ => { random.NextBytes(bytes); return ContentHash.FromBytes(bytes); }).ToArray();
    }

    [Fact]
    public void Everything_added_is_found()
    {
        var filter = new HashFilter(10_000);
        var added = RandomHashes(10_000, seed: 1);
        foreach (var hash in added) filter.Add(hash);
        Assert.All(added, hash => Assert.True(filter.MightContain(hash)));
        Assert.Equal(10_000, filter.Count);
    }

    [Fact]
    public void An_empty_filter_finds_nothing()
    {
        var filter = new HashFilter(1_000);
        Assert.All(RandomHashes(1_000, seed: 2), hash => Assert.False(filter.MightContain(hash)));
    }

    [Fact]
    public void At_capacity_about_one_percent_of_absent_hashes_look_present()
    {
        var filter = new HashFilter(50_000);
        foreach (var hash in RandomHashes((int)filter.Capacity, seed: 3)) filter.Add(hash);
        int falsePositives = RandomHashes(100_000, seed: 4).Count(filter.MightContain);
        // Ten bits per entry and seven probes give 0.8% in theory.
        Assert.InRange(falsePositives, 1, 2_000);
    }

    [Fact]
    public void Size_grows_with_capacity_in_powers_of_two()
    {
        var small = new HashFilter(1);
        var large = new HashFilter(10_000_000);
        Assert.Equal(128, small.Bytes);
        Assert.True(large.Capacity >= 10_000_000);
        Assert.True(large.Bytes <= 2 * 10_000_000 * 10 / 8, $"{large.Bytes} bytes");
    }

    [Fact]
    public void Concurrent_adds_lose_no_bits()
    {
        var filter = new HashFilter(200_000);
        var added = Enumerable.Range(0, 200_000).Select(i => ContentHash.Compute(BitConverter.GetBytes(i))).ToArray();
        Parallel.For(0, added.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => filter.Add(added[i]));
        Assert.All(added, hash => Assert.True(filter.MightContain(hash)));
        Assert.Equal(200_000, filter.Count);
    }

    [Fact]
    public void Probes_use_the_hash_bytes_so_sha256_outputs_spread_evenly()
    {
        // Hashes differing only after byte 28 share every probe: the filter relies on SHA-256 to
        // make such pairs as rare as collisions. This pins the design, so a change to it is deliberate.
        var a = new byte[32];
        var b = new byte[32];
        b[31] = 1;
        var filter = new HashFilter(1_000);
        filter.Add(ContentHash.FromBytes(a));
        Assert.True(filter.MightContain(ContentHash.FromBytes(b)));
    }
}

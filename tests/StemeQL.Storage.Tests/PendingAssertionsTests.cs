using StemeQL.Core.Model;
using StemeQL.Storage.Embedded;

namespace StemeQL.Storage.Tests;

public sealed class PendingAssertionsTests
{
    private static long s_next = 1;

    // One write's new assertions: consecutive LSNs after the previous write's.
    private static Dictionary<ContentHash, long> Write(int count)
    {
        var map = new Dictionary<ContentHash, long>(count);
        for (int i = 0; i < count; i++)
        {
            long lsn = Interlocked.Increment(ref s_next);
            map[new Assertion("s" + lsn, "p", StemeValue.Integer(lsn), "", "a").Hash] = lsn;
        }
        return map;
    }

    [Fact]
    public void Finds_every_hash_of_small_and_large_writes_until_they_are_ingested()
    {
        var pending = new PendingAssertions();
        // Small writes share maps; one at the threshold keeps its own; they interleave.
        var writes = new[] { Write(10), Write(PendingAssertions.OwnMapThreshold), Write(3), Write(PendingAssertions.OwnMapThreshold + 5), Write(1) };
        foreach (var write in writes) pending.Add(write, write.Values.Max());

        foreach (var (hash, lsn) in writes.SelectMany(w => w))
        {
            Assert.True(pending.TryGetLsn(hash, out long found));
            Assert.Equal(lsn, found);
        }
        Assert.Equal(writes.Sum(w => w.Count), pending.Hashes.Count());
        Assert.False(pending.TryGetLsn(Write(1).Keys.Single(), out _));
    }

    [Fact]
    public void Drops_a_map_only_once_all_of_its_assertions_are_ingested()
    {
        var pending = new PendingAssertions();
        var first = Write(5);
        var large = Write(PendingAssertions.OwnMapThreshold);
        var last = Write(5);
        foreach (var write in new[] { first, large, last }) pending.Add(write, write.Values.Max());

        // Ingested up to the middle of the large write: the first small map is sealed behind it and
        // goes; the large write's map stays whole, and so does the newest.
        pending.RemoveThrough(large.Values.Min() + 10);
        Assert.False(pending.TryGetLsn(first.Keys.First(), out _));
        Assert.All(large.Keys.Concat(last.Keys), hash => Assert.True(pending.TryGetLsn(hash, out _)));

        pending.RemoveThrough(last.Values.Max());
        Assert.Empty(pending.Hashes);
    }
}

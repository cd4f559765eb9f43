using StemeQL.Core.Model;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Tests.Journal;

/// <summary>Builders for journal ops and batches.</summary>
internal static class J
{
    public static readonly ContentHash SomeHash = ContentHash.Compute("some assertion"u8);

    public static Assertion Fact(string subject, string predicate = "is", string @object = "x", string agent = "alice") =>
        new(subject, predicate, StemeValue.Text(@object), "", agent);

    public static JournalBatch Votes(long firstLsn, int count, string agent = "bob", long ticks = 638_000_000_000_000_000) =>
        new(firstLsn, ticks, Enumerable.Range(0, count)
            .Select(i => (JournalOp)new JournalVote(firstLsn + i, new Vote(SomeHash, agent + i, (i % 11) / 10.0)))
            .ToArray());

    public static JournalBatch Asserts(long firstLsn, int count, string prefix = "s") =>
        new(firstLsn, 638_100_000_000_000_000 + firstLsn, Enumerable.Range(0, count)
            .Select(i => (JournalOp)new JournalAssert(firstLsn + i, Fact(prefix + (firstLsn + i))))
            .ToArray());

    public static JournalBatch Of(long firstLsn, long ticks, params Func<long, JournalOp>[] ops) =>
        new(firstLsn, ticks, ops.Select((make, i) => make(firstLsn + i)).ToArray());

    /// <summary>Batches of the given sizes (votes and asserts alternating) with consecutive LSNs from 1.</summary>
    public static List<JournalBatch> Sequence(params int[] sizes)
    {
        var batches = new List<JournalBatch>();
        long lsn = Lsn.First;
        foreach (int size in sizes)
        {
            batches.Add(batches.Count % 2 == 0 ? Votes(lsn, size) : Asserts(lsn, size));
            lsn += size;
        }
        return batches;
    }

    /// <summary>Recovers, appends every batch, waits until all are durable and closes the writer.</summary>
    public static void Write(string directory, IEnumerable<JournalBatch> batches, JournalOptions? options = null, IJournalFileSystem? fs = null)
    {
        fs ??= PhysicalJournalFileSystem.Instance;
        var recovery = JournalRecovery.Recover(fs, directory);
        var list = batches.ToList();
        long next = list.Count > 0 ? list[0].FirstLsn : recovery.LastLsn + 1;
        using var writer = JournalWriter.Open(fs, directory, next, options ?? new JournalOptions { Fsync = false }, _ => { });
        Task.WaitAll(list.Select(writer.Append).ToArray());
    }

    public static List<JournalBatch> ReadAll(string directory, long afterLsn = 0) =>
        JournalReader.ReadAfter(PhysicalJournalFileSystem.Instance, directory, afterLsn).ToList();

    /// <summary>Asserts two batch lists hold the same LSNs, ticks and ops (assertions compared field by field).</summary>
    public static void Same(IReadOnlyList<JournalBatch> expected, IReadOnlyList<JournalBatch> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int b = 0; b < expected.Count; b++)
        {
            Assert.Equal(expected[b].FirstLsn, actual[b].FirstLsn);
            Assert.Equal(expected[b].Ticks, actual[b].Ticks);
            Assert.Equal(expected[b].Ops.Count, actual[b].Ops.Count);
            for (int i = 0; i < expected[b].Ops.Count; i++) SameOp(expected[b].Ops[i], actual[b].Ops[i]);
        }
    }

    private static void SameOp(JournalOp expected, JournalOp actual)
    {
        Assert.Equal(expected.Lsn, actual.Lsn);
        switch (expected)
        {
            case JournalAssert { Assertion: var e }:
                var a = Assert.IsType<JournalAssert>(actual).Assertion;
                Assert.Equal(e.Hash, a.Hash);
                Assert.Equal(e.Subject, a.Subject);
                Assert.Equal(e.Predicate, a.Predicate);
                Assert.Equal(e.Object, a.Object);
                Assert.Equal(e.Epoch, a.Epoch);
                Assert.Equal(e.Agent, a.Agent);
                Assert.Equal(e.Lineage, a.Lineage);
                Assert.Equal(BitConverter.DoubleToInt64Bits(e.Confidence), BitConverter.DoubleToInt64Bits(a.Confidence));
                break;
            case JournalVote { Vote: var e }:
                var v = Assert.IsType<JournalVote>(actual).Vote;
                Assert.Equal(e.Assertion, v.Assertion);
                Assert.Equal(e.Agent, v.Agent);
                Assert.Equal(BitConverter.DoubleToInt64Bits(e.Weight), BitConverter.DoubleToInt64Bits(v.Weight));
                break;
        }
    }

    public static string[] SegmentPaths(string directory) =>
        PhysicalJournalFileSystem.Instance.ListSegments(directory).Select(name => Path.Combine(directory, name)).ToArray();
}

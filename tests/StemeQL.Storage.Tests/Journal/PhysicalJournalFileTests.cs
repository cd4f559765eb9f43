using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Journal;

public sealed class PhysicalJournalFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public PhysicalJournalFileTests() => Directory.CreateDirectory(_folder.Path);

    private string SegmentPath => Path.Combine(_folder.Path, "segment");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Commits_of_tens_of_kilobytes_reserve_with_zeros_and_smaller_or_larger_ones_do_not()
    {
        using var file = (PhysicalJournalFile)PhysicalJournalFileSystem.Instance.Create(SegmentPath);
        Commit(file, 100);         // a single ASSERT: less than a block
        Assert.False(file.ZeroFill);
        Commit(file, 60_000);      // a DbBatch of 1,000 votes
        Assert.True(file.ZeroFill);
        Commit(file, 1_000_000);   // a bulk load's batch
        Assert.False(file.ZeroFill);
    }

    [Fact]
    public void Space_reserved_with_zeros_reads_as_zeros_after_the_frames_and_is_cut_off_on_close()
    {
        long end = 0;
        using (var file = (PhysicalJournalFile)PhysicalJournalFileSystem.Instance.Create(SegmentPath))
        {
            // The 18th commit passes the first 1 MiB step, reserved before any commit; the second is written as zeros.
            for (int i = 0; i < 18; i++) end += Commit(file, 60_000);
            Assert.Equal(2L << 20, new FileInfo(SegmentPath).Length);
            var tail = new byte[(2 << 20) - (int)end];
            Assert.Equal(tail.Length, file.Read(end, tail));
            Assert.All(tail, b => Assert.Equal(0, b));
            var last = new byte[1];
            file.Read(end - 1, last);
            Assert.Equal(7, last[0]);
        }
        Assert.Equal(end, new FileInfo(SegmentPath).Length);
    }

    private static int Commit(PhysicalJournalFile file, int bytes)
    {
        var data = new byte[bytes];
        Array.Fill(data, (byte)7);
        file.Append(data);
        file.Sync();
        return bytes;
    }
}

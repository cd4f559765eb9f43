using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Journal;

public sealed class JournalFailureTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FaultyJournalFileSystem _fs = new();

    private string Dir => _folder.Path;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("append", 1, 64L << 20)]
    [InlineData("sync", 1, 64L << 20)]
    [InlineData("append", 1, 1L)]   // with one frame per segment: the new segment's header write
    [InlineData("append", 2, 1L)]   // the frame write into the new segment
    [InlineData("sync", 1, 1L)]     // the old segment's sync before rolling
    [InlineData("sync", 2, 1L)]     // the new segment's header sync
    [InlineData("sync", 3, 1L)]     // the sync of the frame in the new segment
    public async Task A_write_or_sync_failure_stops_the_journal_and_loses_nothing_acknowledged(string fault, int nth, long segmentBytes)
    {
        var batches = J.Sequence(2, 3, 1, 4, 2, 2);
        JournalRecovery.Recover(_fs, Dir);
        var durable = new List<long>();
        var writer = JournalWriter.Open(_fs, Dir, 1, new JournalOptions { SegmentBytes = segmentBytes }, b => durable.Add(b.LastLsn));
        foreach (var batch in batches[..3]) await writer.Append(batch);

        if (fault == "append") _fs.FailAppend(nth);
        else _fs.FailSync(nth);
        var failed = writer.Append(batches[3]);
        await AssertStorageFailure(failed);
        Assert.IsType<StemeException>(writer.Failure);
        Assert.Contains("fix the disk problem and reopen the database", writer.Failure.Message);
        Assert.IsType<IOException>(writer.Failure.InnerException);

        // Later appends fail the same way and never reach the disk.
        await AssertStorageFailure(writer.Append(batches[4]));
        await AssertStorageFailure(writer.Append(batches[5]));
        writer.Dispose();
        Assert.Equal(0, _fs.AppendsAfterFailure);
        Assert.Equal(batches[2].LastLsn, writer.DurableLsn);
        Assert.Equal(batches[..3].Select(b => b.LastLsn), durable);

        // Reopened: exactly the acknowledged batches, and writing resumes after them.
        var recovery = JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, Dir);
        Assert.Equal(batches[2].LastLsn, recovery.LastLsn);
        J.Same(batches[..3], J.ReadAll(Dir));
        J.Write(Dir, batches[3..]);
        J.Same(batches, J.ReadAll(Dir));
    }

    [Fact]
    public async Task A_failure_faults_every_batch_queued_behind_it()
    {
        JournalRecovery.Recover(_fs, Dir);
        using var writer = JournalWriter.Open(_fs, Dir, 1, new JournalOptions(), _ => { });
        _fs.FailSync();
        var batches = J.Sequence(Enumerable.Repeat(1000, 40).ToArray());
        var tasks = batches.Select(writer.Append).ToList();
        foreach (var task in tasks) await AssertStorageFailure(task);
        Assert.Equal(0, writer.PendingBytes);
    }

    [Fact]
    public async Task A_throwing_durable_callback_stops_the_journal_after_completing_the_durable_batches()
    {
        var batches = J.Sequence(1, 1, 1);
        using var writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, Dir, 1, new JournalOptions(),
            batch => { if (batch.FirstLsn == 2) throw new InvalidOperationException("handler bug"); });
        await writer.Append(batches[0]);
        await writer.Append(batches[1]);   // durable, even though the handler threw
        Assert.Contains("handler bug", writer.Failure?.Message);
        await AssertStorageFailure(writer.Append(batches[2]));
    }

    private static async Task AssertStorageFailure(Task append)
    {
        var error = await Assert.ThrowsAsync<StemeException>(() => append);
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Contains("the store has stopped accepting writes", error.Message);
    }
}

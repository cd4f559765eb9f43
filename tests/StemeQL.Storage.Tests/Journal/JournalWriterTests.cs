using System.Collections.Concurrent;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Journal;

[Collection(TimingSensitiveCollection.Name)]
public sealed class JournalWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Dir => _folder.Path;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // writers that lead: a commit that finds another running leaves its batch to the flusher
    public void Group_commit_shares_syncs_between_concurrent_writers(bool lead)
    {
        const int Threads = 16, PerThread = 500;
        // With a disk-like fsync, writers that arrive while one runs must share the next, however busy
        // the CPU is (dotnet test runs other test assemblies beside this one).
        var fs = new FaultyJournalFileSystem { SyncDelay = TimeSpan.FromMilliseconds(2) };
        JournalRecovery.Recover(fs, Dir);
        var durable = new ConcurrentQueue<DurableFrame>();
        using var writer = JournalWriter.Open(fs, Dir, 1, new JournalOptions(), durable.Enqueue);
        int syncsAtStart = fs.Syncs;
        var sequence = new object();
        long next = 1;
        var acknowledged = new ConcurrentBag<long>();

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                Task task;
                long lsn;
                lock (sequence)   // as the store does: assign the LSN and append under one lock
                {
                    lsn = next++;
                    task = writer.Append(t % 2 == 0 ? J.Votes(lsn, 1, "t" + t) : J.Asserts(lsn, 1, "t" + t), lead);
                }
                if (lead)
                {
                    // As WritePath.Write does: lead, then sleep until the committer sets the thread's waiter.
                    writer.Lead();
                    writer.WaitDurable(task);
                }
                else
                {
                    task.Wait();
                }
                Assert.True(writer.DurableLsn >= lsn);
                acknowledged.Add(lsn);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        const int Batches = Threads * PerThread;
        Assert.Equal(Enumerable.Range(1, Batches).Select(i => (long)i), acknowledged.Order());
        Assert.Equal(Enumerable.Range(1, Batches).Select(i => (long)i), durable.Select(b => b.FirstLsn));   // in order, once each
        Assert.Equal(Batches, writer.DurableLsn);
        int syncs = fs.Syncs - syncsAtStart;
        Assert.InRange(syncs, 1, Batches / 4);
        writer.Dispose();
        Assert.Equal(Batches, J.ReadAll(Dir).Count);
    }

    [Fact]
    public void A_lone_leading_writer_commits_on_its_own_thread_with_one_sync()
    {
        var fs = new FaultyJournalFileSystem();
        JournalRecovery.Recover(fs, Dir);
        var committedOn = new List<int>();
        using var writer = JournalWriter.Open(fs, Dir, 1, new JournalOptions(), frame =>
        {
            committedOn.Add(Environment.CurrentManagedThreadId);
            frame.Release();
        });
        for (int i = 0; i < 3; i++)
        {
            // The flusher, idle, is waiting for work it is woken for; a leading caller does not wake it.
            Thread.Sleep(50);
            int syncs = fs.Syncs;
            var task = writer.Append(J.Votes(1 + i, 1), callerLeads: true);
            writer.Lead();
            // Durable when Lead returns: committed here, not handed to the flusher thread.
            Assert.True(task.IsCompletedSuccessfully);
            Assert.Equal(1 + i, writer.DurableLsn);
            Assert.Equal(syncs + 1, fs.Syncs);
        }
        Assert.Equal(Enumerable.Repeat(Environment.CurrentManagedThreadId, 3), committedOn);
    }

    [Fact]
    public async Task WaitDurable_returns_only_once_another_committer_has_synced_the_write()
    {
        var fs = new FaultyJournalFileSystem { SyncDelay = TimeSpan.FromMilliseconds(20) };
        JournalRecovery.Recover(fs, Dir);
        using var writer = JournalWriter.Open(fs, Dir, 1, new JournalOptions(), frame => frame.Release());
        int syncsBefore = fs.Syncs;
        var waiting = Task.Run(() =>
        {
            // Appended to lead but not led: the flusher, woken by the next append, commits it.
            var task = writer.Append(J.Votes(1, 1), callerLeads: true);
            writer.Append(J.Votes(2, 1));
            writer.WaitDurable(task);
            return (Durable: writer.DurableLsn, fs.Syncs);
        });
        var (durable, syncs) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(durable >= 1);
        Assert.True(syncs > syncsBefore);
    }

    [Fact]
    public async Task WaitDurable_throws_the_failure_when_another_committer_cannot_sync_the_write()
    {
        var fs = new FaultyJournalFileSystem();
        JournalRecovery.Recover(fs, Dir);
        using var writer = JournalWriter.Open(fs, Dir, 1, new JournalOptions(), frame => frame.Release());
        fs.FailSync();
        var waiting = Task.Run(() =>
        {
            var task = writer.Append(J.Votes(1, 1), callerLeads: true);
            writer.Append(J.Votes(2, 1));
            return Assert.Throws<StemeException>(() => writer.WaitDurable(task));
        });
        var error = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Equal(0, writer.DurableLsn);
    }

    [Fact]
    public async Task A_leading_writer_is_not_acknowledged_when_its_sync_fails()
    {
        var fs = new FaultyJournalFileSystem();
        JournalRecovery.Recover(fs, Dir);
        var durable = new List<long>();
        using var writer = JournalWriter.Open(fs, Dir, 1, new JournalOptions(), frame =>
        {
            durable.Add(frame.LastLsn);
            frame.Release();
        });
        await writer.Append(J.Votes(1, 2));
        Thread.Sleep(50);
        fs.FailSync();
        var task = writer.Append(J.Votes(3, 1), callerLeads: true);
        writer.Lead();
        Assert.True(task.IsFaulted);
        var error = await Assert.ThrowsAsync<StemeException>(() => task);
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Equal(2, writer.DurableLsn);
        Assert.Equal([2L], durable);
    }

    [Fact]
    public async Task OnDurable_is_called_once_per_batch_in_lsn_order_and_DurableLsn_advances()
    {
        var seen = new List<(long Lsn, long Durable)>();
        JournalWriter? writer = null;
        writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, Dir, 1, new JournalOptions { SegmentBytes = 2000 },
            batch => seen.Add((batch.FirstLsn, writer!.DurableLsn)));
        Assert.Equal(0, writer.DurableLsn);
        var batches = J.Sequence(Enumerable.Range(0, 300).Select(i => i % 5 + 1).ToArray());
        await Task.WhenAll(batches.Select(writer.Append).ToList());
        Assert.Equal(batches[^1].LastLsn, writer.DurableLsn);
        writer.Dispose();

        Assert.Equal(batches.Select(b => b.FirstLsn), seen.Select(s => s.Lsn));
        Assert.All(seen.Zip(batches), pair => Assert.True(pair.First.Durable >= pair.Second.LastLsn));
        J.Same(batches, J.ReadAll(Dir));
    }

    [Fact]
    public async Task OnDurable_hands_over_frames_that_decode_to_the_batches_appended()
    {
        var frames = new List<DurableFrame>();
        var writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, Dir, 1, new JournalOptions(), frames.Add);
        var batches = J.Sequence(3, 1, 4, 1, 5);
        await Task.WhenAll(batches.Select(writer.Append).ToList());
        writer.Dispose();

        Assert.Equal(batches.Select(b => (b.FirstLsn, b.LastLsn, b.Ops.Count)), frames.Select(f => (f.FirstLsn, f.LastLsn, f.OpCount)));
        J.Same(batches, frames.Select(f => f.Decode()).ToList());
        frames.ForEach(f => f.Release());
    }

    [Fact]
    public async Task Append_rejects_a_batch_that_does_not_start_at_the_next_lsn()
    {
        using var writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, Dir, 10, new JournalOptions(), _ => { });
        Assert.Throws<InvalidOperationException>(() => { _ = writer.Append(J.Votes(11, 1)); });
        await writer.Append(J.Votes(10, 3));
        Assert.Throws<InvalidOperationException>(() => { _ = writer.Append(J.Votes(12, 1)); });
        Assert.Throws<ArgumentException>(() => { _ = writer.Append(new JournalBatch(13, 0, [])); });
        await writer.Append(J.Votes(13, 1));
        Assert.Equal(13, writer.DurableLsn);
    }

    [Fact]
    public void Dispose_completes_everything_queued_and_later_appends_throw()
    {
        var writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, Dir, 1, new JournalOptions(), _ => { });
        var batches = J.Sequence(Enumerable.Repeat(100, 50).ToArray());
        var tasks = batches.Select(writer.Append).ToList();
        writer.Dispose();
        Assert.All(tasks, task => Assert.True(task.IsCompletedSuccessfully));
        Assert.Throws<ObjectDisposedException>(() => { _ = writer.Append(J.Votes(batches[^1].LastLsn + 1, 1)); });
        writer.Dispose();
        J.Same(batches, J.ReadAll(Dir));
    }

    [Fact]
    public async Task ReleaseThrough_deletes_only_fully_covered_closed_segments()
    {
        var options = new JournalOptions { SegmentBytes = 1, Fsync = false };
        using var writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, Dir, 1, options, _ => { });
        var batches = J.Sequence(2, 2, 2);   // one segment each: 1-2, 3-4, 5-6 (active)
        await Task.WhenAll(batches.Select(writer.Append));
        Assert.Equal(3, writer.SegmentCount);
        Assert.Equal(OnDisk(), writer.SizeBytes);

        writer.ReleaseThrough(1);
        Assert.Equal(3, writer.SegmentCount);
        writer.ReleaseThrough(3);   // 3-4 is not covered yet
        Assert.Equal(2, writer.SegmentCount);
        writer.ReleaseThrough(1000);   // never the active segment
        Assert.Equal(1, writer.SegmentCount);
        Assert.Equal(OnDisk(), writer.SizeBytes);
        Assert.EndsWith(JournalFormat.SegmentName(5), Assert.Single(J.SegmentPaths(Dir)));

        await writer.Append(J.Votes(7, 1));
        Assert.Equal(2, writer.SegmentCount);
        Assert.Equal(OnDisk(), writer.SizeBytes);
        var recovery = JournalRecovery.Recover(PhysicalJournalFileSystem.Instance, Dir);
        Assert.Equal((7L, (string?)null), (recovery.LastLsn, recovery.Recovered));
        Assert.Equal([5L, 7], J.ReadAll(Dir).Select(b => b.FirstLsn));
    }

    [Fact]
    public void A_reopened_writer_knows_the_existing_segments()
    {
        J.Write(Dir, J.Sequence(3, 3, 3), new JournalOptions { SegmentBytes = 1, Fsync = false });
        using var writer = JournalWriter.Open(PhysicalJournalFileSystem.Instance, Dir, 10, new JournalOptions { SegmentBytes = 1 }, _ => { });
        Assert.Equal(4, writer.SegmentCount);   // three closed, and a new one for LSN 10
        Assert.Equal(OnDisk(), writer.SizeBytes);
        writer.ReleaseThrough(6);
        Assert.Equal(2, writer.SegmentCount);
        Assert.Equal(OnDisk(), writer.SizeBytes);
    }

    // The open segment holds space allocated ahead of its frames (PhysicalJournalFile), so each segment
    // counts up to the end of its last frame.
    private long OnDisk() => J.SegmentPaths(Dir).Sum(FramesEnd);

    private static long FramesEnd(string path)
    {
        using var file = PhysicalJournalFileSystem.Instance.OpenRead(path);
        var scanner = new SegmentScanner(file);
        JournalFormat.TryParseSegmentName(Path.GetFileName(path), out long first);
        var status = scanner.ReadHeader(path, first);
        while (status == ScanStatus.Ok) status = scanner.Next(validateOps: false, out _, out _, out _);
        Assert.Equal(ScanStatus.End, status);
        return scanner.Offset;
    }
}

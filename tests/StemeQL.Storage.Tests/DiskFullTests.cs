using System.Security.Cryptography;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Objects;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// A real full disk (a small tmpfs filled to the last page) under each part of a data folder: the
/// journal, store.db and the object folder. Each time the write fails with DiskFull, nothing
/// acknowledged is lost, reads keep working, and once space is freed the write goes through.
/// </summary>
public sealed class DiskFullTests
{
    // Larger than a page, so a frame never fits in the free end of a segment's last page.
    private static Assertion Big(string subject, int seed) =>
        A(subject, "p", StemeValue.Bytes(RandomNumberGenerator.GetBytes(40_000 + seed)));

    // The journal allocates its space ahead (PhysicalJournalFile.ReserveStep), so once the disk is full
    // a few writes still fit in the space it holds; this writes until one fails, and returns that error
    // and the assertion it could not write. Every write before it was acknowledged.
    private static (StemeException Error, Assertion Failed) WriteUntilFull(IEpistemeStore store, ISet<ContentHash> acknowledged)
    {
        long limit = PhysicalJournalFile.ReserveStep / 40_000 + 8;
        for (int i = 0; i < limit; i++)
        {
            var assertion = Big("fill" + i, i);
            try
            {
                store.Write([new AssertOperation(assertion)]);
                acknowledged.Add(assertion.Hash);
            }
            catch (StemeException error)
            {
                return (error, assertion);
            }
        }
        throw new Xunit.Sdk.XunitException($"{limit} writes of 40 KB went through on a full disk");
    }

    private static HashSet<ContentHash> Stored(EmbeddedStore store) => store.ScanAssertions(KeyFilter.All).Select(a => a.Assertion.Hash).ToHashSet();

    [MountFact]
    public void A_full_journal_disk_fails_the_write_with_DiskFull_and_after_freeing_space_the_reopened_store_takes_the_retry()
    {
        using var mount = ScratchMount.Mount("size=8m");
        string folder = Path.Combine(mount.Path, "db");
        var acknowledged = new HashSet<ContentHash>();
        Assertion retry;
        using (var store = EmbeddedStore.Open(folder))
        {
            for (int i = 0; i < 3; i++) acknowledged.Add(store.Assert(A("ok" + i, "p", "o")).Hash);
            var visible = acknowledged.ToHashSet();
            string ballast = mount.Fill();

            (var error, retry) = WriteUntilFull(store, acknowledged);
            Assert.Equal(StemeErrorCode.DiskFull, error.ErrorCode);
            Assert.False(error.IsTransient);
            // Reads keep working (the writes acknowledged into the journal's space may wait for the views).
            Assert.Superset(visible, Stored(store));
            Assert.Subset(acknowledged, Stored(store));
            mount.Free(ballast);
        }

        using var reopened = EmbeddedStore.Open(folder);
        Assert.Equal(acknowledged, Stored(reopened));   // every acknowledged write, and no half of the failed one
        reopened.Assert(retry);
        Assert.Contains(retry.Hash, Stored(reopened));
    }

    [MountFact]
    public void A_full_store_db_disk_stops_the_store_with_DiskFull_and_after_freeing_space_the_reopened_store_has_every_acknowledged_write()
    {
        using var mount = ScratchMount.Mount("size=4m");
        string folder = Path.Combine(mount.Path, "db");
        using var journalDisk = ScratchMount.MountAt(Path.Combine(folder, "journal"), "size=32m");   // only store.db's disk fills
        var acknowledged = new HashSet<ContentHash>();
        using (var store = EmbeddedStore.Open(folder))
        {
            acknowledged.Add(store.Assert(A("ok0", "p", "o")).Hash);
            string ballast = mount.Fill();
            StemeException? error = null;
            for (int i = 0; i < 200 && error is null; i++)
            {
                try
                {
                    var assertion = Big("big" + i, i);
                    store.Write([new AssertOperation(assertion)]);
                    acknowledged.Add(assertion.Hash);
                    store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
                }
                catch (StemeException e)
                {
                    error = e;
                }
            }

            Assert.NotNull(error);
            Assert.Equal(StemeErrorCode.DiskFull, error.ErrorCode);
            Assert.Contains("free some space", error.Message, StringComparison.Ordinal);
            Assert.Contains("disk is full", store.Status.Failure, StringComparison.Ordinal);   // SQLite's SQLITE_FULL, not the journal's ENOSPC
            Assert.Contains(acknowledged.First(), Stored(store));   // reads keep working
            mount.Free(ballast);
        }

        using var reopened = EmbeddedStore.Open(folder);
        Assert.Superset(acknowledged, Stored(reopened));
        reopened.Assert(A("after", "p", "o"));
    }

    [MountFact]
    public void Opening_a_new_folder_on_a_full_disk_throws_DiskFull_and_opens_once_space_is_freed()
    {
        using var mount = ScratchMount.Mount("size=4m");
        string folder = Path.Combine(mount.Path, "db");
        string ballast = mount.Fill();

        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(folder));
        Assert.Equal(StemeErrorCode.DiskFull, error.ErrorCode);
        mount.Free(ballast);
        using var store = EmbeddedStore.Open(folder);
        store.Assert(A("ok0", "p", "o"));
    }

    [MountFact]
    public void Opening_a_folder_on_a_full_disk_throws_DiskFull_and_it_still_opens_Read_Only_to_query()
    {
        using var mount = ScratchMount.Mount("size=4m");
        string folder = Path.Combine(mount.Path, "db");
        ContentHash hash;
        using (var first = EmbeddedStore.Open(folder)) hash = first.Assert(A("ok0", "p", "o")).Hash;
        mount.Fill();

        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(folder));
        Assert.Equal(StemeErrorCode.DiskFull, error.ErrorCode);
        Assert.Contains("Read Only=True", error.Message, StringComparison.Ordinal);
        using var reader = EmbeddedStore.OpenReadOnly(folder);
        Assert.Equal(hash, Assert.Single(reader.ScanAssertions(KeyFilter.All)).Assertion.Hash);
    }

    [MountFact]
    public void A_store_stopped_by_a_full_disk_is_not_kept_warm_so_opening_again_after_freeing_space_takes_writes()
    {
        using var mount = ScratchMount.Mount("size=8m");
        string folder = Path.Combine(mount.Path, "db");
        var warm = TimeSpan.FromMinutes(5);   // a store kept warm this long would still be the stopped one
        string ballast;
        using (var lease = StoreRegistry.Acquire(folder, idleTimeout: warm))
        {
            lease.Store.Assert(A("ok0", "p", "o"));
            ballast = mount.Fill();
            Assert.Equal(StemeErrorCode.DiskFull, WriteUntilFull(lease.Store, new HashSet<ContentHash>()).Error.ErrorCode);
        }
        mount.Free(ballast);

        using var reopened = StoreRegistry.Acquire(folder);
        reopened.Store.Assert(Big("after", 1));
        Assert.Null(reopened.Store.Status.Failure);
    }

    [MountFact]
    public async Task A_full_object_folder_disk_fails_the_put_with_DiskFull_leaves_the_store_writing_and_takes_the_retry()
    {
        using var mount = ScratchMount.Mount("size=4m");
        using var store = EmbeddedStore.Open(Path.Combine(mount.Path, "db"));
        store.Assert(A("ok0", "p", "o"));
        string ballast = mount.Fill();

        var error = await Assert.ThrowsAsync<StemeException>(() => store.Objects.PutAsync(new PatternStream(256 << 10, seed: 50), default));
        Assert.Equal(StemeErrorCode.DiskFull, error.ErrorCode);
        Assert.Contains("run the statement again", error.Message, StringComparison.Ordinal);
        Assert.Null(store.Status.Failure);   // only the statement failed, before anything was journaled
        Assert.Empty(Directory.GetFiles(Path.Combine(mount.Path, "db", ObjectStores.FolderName), "*", SearchOption.AllDirectories));
        mount.Free(ballast);

        var reference = await store.Objects.PutAsync(new PatternStream(256 << 10, seed: 50), default);
        await using var stream = await store.Objects.OpenReadAsync(reference, 0, default);
        Assert.Equal(PatternStream.Hash(256 << 10, seed: 50), ContentHash.FromBytes(await SHA256.HashDataAsync(stream)));
    }
}

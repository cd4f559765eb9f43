using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Journal;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>Each storage failure is named by its cause with its own code; only a lock is transient.</summary>
public sealed class StorageErrorTests
{
    private static IOException NoSpace() => OperatingSystem.IsWindows()
        ? new IOException("There is not enough space on the disk.", unchecked((int)0x80070070))
        : new IOException("No space left on device", 28);

    private static void AssertReadsWork(EmbeddedStore store, int atLeast)
    {
        store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
        Assert.InRange(store.ScanAssertions(KeyFilter.All).Count(), atLeast, int.MaxValue);
        Assert.Single(store.LookupView("consensus", Key("ok0", "p")));
    }

    [Fact]
    public void A_full_disk_stops_writes_with_DiskFull_and_reads_keep_working()
    {
        using var folder = new TempFolder();
        var disk = new FaultyJournalFileSystem { AppendFailure = NoSpace };
        using var store = EmbeddedStore.Open(folder.Path, EmbeddedStoreOptions.Default with { FileSystem = disk });
        for (int i = 0; i < 5; i++) store.Assert(A("ok" + i, "p", "o"));
        disk.FailAppend();

        var error = Assert.Throws<StemeException>(() => store.Write([new AssertOperation(A("lost", "p", "o"))]));
        Assert.Equal(StemeErrorCode.DiskFull, error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Contains("free some space", error.Message, StringComparison.Ordinal);
        Assert.Equal(StemeErrorCode.DiskFull, Assert.Throws<StemeException>(() => store.Write([new AssertOperation(A("later", "p", "o"))])).ErrorCode);
        AssertReadsWork(store, atLeast: 5);
        Assert.NotNull(store.Status.Failure);
    }

    [Fact]
    public void A_folder_locked_by_another_store_is_DatabaseLocked_and_transient()
    {
        using var folder = new TempFolder();
        using var first = EmbeddedStore.Open(folder.Path);
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(folder.Path));
        Assert.Equal(StemeErrorCode.DatabaseLocked, error.ErrorCode);
        Assert.True(error.IsTransient);
    }

    [MountFact]
    public void A_real_full_disk_is_DiskFull_for_writes_while_reads_keep_working()
    {
        using var mount = ScratchMount.Mount("size=2m");
        using var store = EmbeddedStore.Open(Path.Combine(mount.Path, "db"));
        store.Assert(A("ok0", "p", "o"));
        var big = new byte[64 * 1024];
        StemeException? error = null;
        for (int i = 0; i < 200 && error is null; i++)
        {
            Random.Shared.NextBytes(big);
            try
            {
                store.Write([new AssertOperation(A("big" + i, "p", StemeValue.Bytes(big)))]);
            }
            catch (StemeException e)
            {
                error = e;
            }
        }
        Assert.NotNull(error);
        Assert.Equal(StemeErrorCode.DiskFull, error.ErrorCode);
        Assert.False(error.IsTransient);
        AssertReadsWork(store, atLeast: 1);
    }

    [MountFact]
    public void A_read_only_file_system_is_ReadOnlyFileSystem_not_a_lock_and_can_be_read()
    {
        using var mount = ScratchMount.Mount("size=4m");
        string folder = Path.Combine(mount.Path, "db");
        using (var store = EmbeddedStore.Open(folder)) store.Assert(A("ok0", "p", "o"));
        mount.MakeReadOnly();

        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(folder));
        Assert.Equal(StemeErrorCode.ReadOnlyFileSystem, error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Contains("Read Only=True", error.Message, StringComparison.Ordinal);
        var created = Assert.Throws<StemeException>(() => EmbeddedStore.Open(Path.Combine(mount.Path, "new")));
        Assert.Equal(StemeErrorCode.ReadOnlyFileSystem, created.ErrorCode);
        using var reader = EmbeddedStore.OpenReadOnly(folder);
        Assert.Single(reader.ScanAssertions(KeyFilter.All));
    }
}

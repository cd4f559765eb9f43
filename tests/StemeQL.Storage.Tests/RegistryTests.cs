using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public sealed class RegistryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Acquire_creates_the_folder_and_its_database()
    {
        using var lease = StoreRegistry.Acquire(_folder.Path);
        Assert.True(File.Exists(Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName)));
        Assert.Equal(Path.GetFullPath(_folder.Path), lease.DataSource);
    }

    [Fact]
    public void Two_leases_on_the_same_folder_share_data_and_lsns()
    {
        using var first = StoreRegistry.Acquire(_folder.Path);
        using var second = StoreRegistry.Acquire(_folder.Path + Path.DirectorySeparatorChar + "." + Path.DirectorySeparatorChar);
        Assert.Same(first.Store, second.Store);
        Assert.Equal(2, StoreRegistry.LeaseCount(_folder.Path));
        var hash = first.Store.Assert(A("paris", "capital_of", "france")).Hash;
        Assert.Equal(2, second.Store.Vote(hash, "bob"));
        Assert.Equal(2, first.Store.LastLsn);
        Assert.True(second.Store.Contains(hash));
    }

    [Fact]
    public void The_store_stays_open_until_the_last_lease_is_released()
    {
        var first = StoreRegistry.Acquire(_folder.Path);
        var second = StoreRegistry.Acquire(_folder.Path);
        var store = first.Store;
        first.Dispose();
        first.Dispose();
        Assert.Equal(1, StoreRegistry.LeaseCount(_folder.Path));
        Assert.Throws<ObjectDisposedException>(() => first.Store);
        second.Store.Assert(A("paris", "capital_of", "france"));
        second.Dispose();
        Assert.Equal(0, StoreRegistry.LeaseCount(_folder.Path));
        Assert.Throws<ObjectDisposedException>(() => store.LastLsnAt(DateTime.UtcNow));

        using var again = StoreRegistry.Acquire(_folder.Path);
        Assert.NotSame(store, again.Store);
        Assert.Equal(1, again.Store.LastLsn);
        Assert.Single(again.Store.ScanAssertions(KeyFilter.All));
    }

    [Fact]
    public void A_second_store_instance_on_a_leased_folder_is_refused()
    {
        using var lease = StoreRegistry.Acquire(_folder.Path);
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(_folder.Path));
        Assert.Equal(StemeErrorCode.DatabaseLocked, error.ErrorCode);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void Memory_data_sources_are_private_and_deleted_when_released()
    {
        var first = StoreRegistry.Acquire(StoreRegistry.InMemory);
        using var second = StoreRegistry.Acquire(StoreRegistry.InMemory);
        Assert.NotSame(first.Store, second.Store);
        first.Store.Assert(A("paris", "capital_of", "france"));
        Assert.Equal(0, second.Store.LastLsn);
        string folder = ((EmbeddedStore)first.Store).Folder;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "stemeql-mem-"), folder, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder));
        first.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Acquire_rejects_an_empty_data_source()
    {
        var error = Assert.Throws<StemeException>(() => StoreRegistry.Acquire("  "));
        Assert.Equal(StemeErrorCode.InvalidConnectionString, error.ErrorCode);
    }

    [Fact]
    public void Concurrent_acquires_of_one_folder_share_one_store()
    {
        var leases = new StoreLease[16];
        Parallel.For(0, leases.Length, i => leases[i] = StoreRegistry.Acquire(_folder.Path));
        try
        {
            Assert.All(leases, l => Assert.Same(leases[0].Store, l.Store));
            Assert.Equal(leases.Length, StoreRegistry.LeaseCount(_folder.Path));
        }
        finally
        {
            Parallel.ForEach(leases, l => l.Dispose());
        }
        Assert.Equal(0, StoreRegistry.LeaseCount(_folder.Path));
    }
}

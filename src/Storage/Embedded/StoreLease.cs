using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// A counted reference to a shared store from <see cref="StoreRegistry.Acquire"/>. Disposing it
/// releases the reference (once); the last release closes the store.
/// </summary>
public sealed class StoreLease : IStoreLease
{
    private readonly IEpistemeStore _store;
    private Action? _release;

    internal StoreLease(IEpistemeStore store, string dataSource, Action release)
    {
        _store = store;
        DataSource = dataSource;
        _release = release;
    }

    /// <summary>The normalised data source: the folder's full path, or <c>:memory:</c>.</summary>
    public string DataSource { get; }

    /// <summary>The shared store; throws <see cref="ObjectDisposedException"/> after the lease is released.</summary>
    public IEpistemeStore Store
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _release) is null, this);
            return _store;
        }
    }

    /// <summary>Releases the lease; the last one closes the store. Safe to call more than once.</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

namespace StemeQL.Storage.Abstractions;

/// <summary>A counted reference to a shared store, from <see cref="IStoreProvider.Acquire"/>. Disposing it releases the reference (once).</summary>
public interface IStoreLease : IDisposable
{
    /// <summary>Where the store is, normalised by its provider (a folder's full path, <c>:memory:</c>, a server and database).</summary>
    string DataSource { get; }

    /// <summary>The shared store; throws <see cref="ObjectDisposedException"/> after the lease is released.</summary>
    IEpistemeStore Store { get; }
}

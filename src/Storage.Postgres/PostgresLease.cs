using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>A counted reference to a shared <see cref="PostgresStore"/>; disposing it releases the reference (once).</summary>
internal sealed class PostgresLease(PostgresStore store, Action release) : IStoreLease
{
    private Action? _release = release;

    /// <inheritdoc />
    public string DataSource => store.Where;

    /// <inheritdoc />
    public IEpistemeStore Store
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _release) is null, this);
            return store;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

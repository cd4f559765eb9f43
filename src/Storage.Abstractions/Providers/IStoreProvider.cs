namespace StemeQL.Storage.Abstractions;

/// <summary>
/// A kind of storage StemeQL can run on, chosen by the connection string's <c>Storage</c> keyword
/// (<c>embedded</c> by default). It opens, or joins, the store that <see cref="StoreSettings"/> name and
/// hands out counted leases on it; a backend is added by implementing this and registering it
/// with <c>StemeQL.Storage.StoreProviders.Register</c>.
/// </summary>
public interface IStoreProvider
{
    /// <summary>The name the <c>Storage</c> keyword gives (compared case-insensitively), such as <c>embedded</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Opens the store <paramref name="settings"/> name, or joins the instance this process has open
    /// for it. Dispose the lease when done; the provider decides when the store itself closes.
    /// </summary>
    /// <exception cref="StemeException">The settings are not valid for this provider (InvalidConnectionString), or the store cannot be opened.</exception>
    IStoreLease Acquire(StoreSettings settings);

    /// <summary>Closes every store (or pooled connection) no lease holds, now rather than when its idle timeout runs out.</summary>
    void CloseIdle();

    /// <summary>
    /// How <paramref name="dataSource"/> is shown in logs, telemetry and <c>DbConnection.DataSource</c>: without
    /// secrets such as a password. The default shows it as it is (a folder path holds none).
    /// </summary>
    string Describe(string dataSource) => dataSource;
}

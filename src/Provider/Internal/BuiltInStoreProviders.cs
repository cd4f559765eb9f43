using StemeQL.Storage;
using StemeQL.Storage.Postgres;

namespace StemeQL.Internal;

/// <summary>
/// The store providers the StemeQL package carries besides <c>embedded</c> (which the storage layer knows itself):
/// registered once, before the first connection opens, so <c>Storage=postgres</c> works with no user code.
/// </summary>
internal static class BuiltInStoreProviders
{
    private static readonly bool Registered = Register();

    /// <summary>Makes sure the built-in providers are registered (the first call registers them).</summary>
    public static void Ensure() => _ = Registered;

    /// <summary>How the connection's data source is shown (logs, telemetry, DataSource): without a password.</summary>
    public static string Describe(string storage, string dataSource)
    {
        Ensure();
        try
        {
            return StoreProviders.Get(storage).Describe(dataSource);
        }
        catch (StemeException)
        {
            // An unknown provider fails at Open; until then the value is shown as written.
            return dataSource;
        }
    }

    private static bool Register()
    {
        StoreProviders.Register(PostgresStoreProvider.Instance);
        return true;
    }
}

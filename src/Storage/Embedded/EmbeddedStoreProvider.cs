using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>The <c>embedded</c> provider: a data folder (journal, SQLite, objects) shared in-process through <see cref="StoreRegistry"/>.</summary>
public sealed class EmbeddedStoreProvider : IStoreProvider
{
    /// <summary>The name the <c>Storage</c> keyword gives it.</summary>
    public const string ProviderName = "embedded";

    /// <summary>The one instance.</summary>
    public static readonly EmbeddedStoreProvider Instance = new();

    private EmbeddedStoreProvider() { }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public IStoreLease Acquire(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return StoreRegistry.Acquire(settings.DataSource, settings.ReadOnly, settings.Salvage, settings.Objects, settings.IdleTimeout, settings.OnSchemaUpgrade);
    }

    /// <inheritdoc />
    public void CloseIdle() => StoreRegistry.CloseIdleStores();
}

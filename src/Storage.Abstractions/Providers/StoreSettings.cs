namespace StemeQL.Storage.Abstractions;

/// <summary>What a store is opened with, whatever its provider (the provider fills it from the connection string).</summary>
/// <param name="DataSource">Where the store is: for <c>embedded</c>, a data folder or <c>:memory:</c>.</param>
public sealed record StoreSettings(string DataSource)
{
    /// <summary>Open without writing, beside another process that writes.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>If the store is damaged where it can be salvaged (the embedded journal), keep what is valid instead of refusing to open.</summary>
    public bool Salvage { get; init; }

    /// <summary>Where large bytes values go, and from what size.</summary>
    public ObjectStoreSettings Objects { get; init; } = ObjectStoreSettings.Default;

    /// <summary>How long the store stays open after its last lease is released (zero: it closes at once).</summary>
    public TimeSpan IdleTimeout { get; init; }

    /// <summary>
    /// Told when this open upgrades the store's schema: before the upgrade starts and after it commits (see
    /// <see cref="SchemaUpgrade"/>). Only the call that opens the store runs an upgrade; null by default.
    /// </summary>
    public Action<SchemaUpgrade>? OnSchemaUpgrade { get; init; }
}

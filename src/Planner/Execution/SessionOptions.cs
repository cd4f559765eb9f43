namespace StemeQL.Planner.Execution;

/// <summary>What a session is opened with (the provider fills it from the connection string).</summary>
/// <param name="DataSource">A data folder or <c>:memory:</c>.</param>
/// <param name="Agent">The agent the session writes as.</param>
public sealed record SessionOptions(string DataSource, string Agent)
{
    /// <summary>The store provider's name (the connection string's <c>Storage</c>); <c>embedded</c> by default.</summary>
    public string Storage { get; init; } = StemeQL.Storage.StoreProviders.DefaultName;

    /// <summary>What a read waits for; <see cref="ReadConsistency.ReadYourWrites"/> by default.</summary>
    public ReadConsistency Consistency { get; init; } = ReadConsistency.ReadYourWrites;

    /// <summary>
    /// The newest write the session's owner made before (a connection reopened on the same folder), so
    /// read-your-writes holds across Close and Open. 0 when none.
    /// </summary>
    public long LastWriteLsn { get; init; }

    /// <summary>Open the store without writing, beside another process that writes it.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// If the store is not open yet and its journal is damaged, salvage it (keep every valid frame, report
    /// the LSNs lost) instead of refusing to open.
    /// </summary>
    public bool SalvageJournal { get; init; }

    /// <summary>Where large bytes values go, and from what size (the connection string's <c>Object …</c> keywords).</summary>
    public StemeQL.Storage.Abstractions.ObjectStoreSettings Objects { get; init; } = StemeQL.Storage.Abstractions.ObjectStoreSettings.Default;

    /// <summary>How long the store stays open after the last session on its folder closes (zero: it closes at once).</summary>
    public TimeSpan StoreIdleTimeout { get; init; }

    /// <summary>Told before and after opening the store upgrades its schema (only the session that opens the store runs one).</summary>
    public Action<StemeQL.Storage.Abstractions.SchemaUpgrade>? OnSchemaUpgrade { get; init; }

    /// <summary>What the store provider is given.</summary>
    public StemeQL.Storage.Abstractions.StoreSettings StoreSettings => new(DataSource)
    {
        ReadOnly = ReadOnly,
        Salvage = SalvageJournal,
        Objects = Objects,
        IdleTimeout = StoreIdleTimeout,
        OnSchemaUpgrade = OnSchemaUpgrade,
    };
}

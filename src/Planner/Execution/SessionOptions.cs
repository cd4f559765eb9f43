namespace StemeQL.Planner.Execution;

/// <summary>What a session is opened with (the provider fills it from the connection string).</summary>
/// <param name="DataSource">A data folder or <c>:memory:</c>.</param>
/// <param name="Agent">The agent the session writes as.</param>
public sealed record SessionOptions(string DataSource, string Agent)
{
    /// <summary>When true (the default), a read first waits until the views include this session's own writes.</summary>
    public bool StrongConsistency { get; init; } = true;

    /// <summary>Open the store without writing, beside another process that writes it.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// If the store is not open yet and its journal is damaged, salvage it (keep every valid frame, report
    /// the LSNs lost) instead of refusing to open.
    /// </summary>
    public bool SalvageJournal { get; init; }
}

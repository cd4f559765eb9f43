namespace StemeQL.Planner.Plans;

/// <summary>How a query reaches its rows; the names are what EXPLAIN prints.</summary>
public enum AccessPath
{
    /// <summary>O(1) per pinned key from a materialized view.</summary>
    MaterializedViewLookup,
    /// <summary>O(N): gather candidate sets and their votes and evaluate the lens.</summary>
    LensScan,
    /// <summary>Read ledger rows (no lens), seeking on pinned keys where it can.</summary>
    LedgerScan,
    /// <summary>Read the store's status (one row, never waits for the views).</summary>
    StatusRead,
    /// <summary>A SELECT without FROM: one row with no columns.</summary>
    SingleRow,
    /// <summary><c>count(*)</c> answered by the store's counters or indexes, without reading rows.</summary>
    CountPushdown,
    /// <summary><c>GROUP BY</c> one text column with only <c>count(*)</c>: the store counts per key on its index, without reading rows.</summary>
    GroupedCountPushdown,
    /// <summary>Run the store's integrity check (O(N) in the whole store) and return its problems.</summary>
    IntegrityCheck,
    /// <summary>The <c>agents</c> rows: counted per agent on the store's agent indexes, first and last LSN by seeks, without reading rows.</summary>
    AgentSummary,
}

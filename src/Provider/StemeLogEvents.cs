namespace StemeQL;

/// <summary>
/// The ids of the provider's log events (the <c>EventId</c> of each entry), for filtering. Connection
/// and store events are logged under the category <c>StemeQL.Connection</c>, command events under
/// <c>StemeQL.Command</c>. See docs/observability.md.
/// </summary>
public static class StemeLogEvents
{
    /// <summary>Information: a connection opened a store that no other connection of this process had open.</summary>
    public const int StoreOpened = 1001;

    /// <summary>Information: the last connection of this process on a store closed.</summary>
    public const int StoreClosed = 1002;

    /// <summary>Warning: opening the store repaired its journal (a torn tail cut, an empty segment removed); no acknowledged write was lost.</summary>
    public const int JournalRecovered = 1003;

    /// <summary>Error: opening the store with Recovery=Salvage rewrote a damaged journal; the message lists the LSNs lost.</summary>
    public const int JournalSalvaged = 1004;

    /// <summary>Critical: the store stopped accepting writes after a storage failure (fail-stop); reads keep working.</summary>
    public const int StoreFailStopped = 1005;

    /// <summary>Information: opening the store is about to upgrade its schema to this StemeQL's version (one transaction; minutes on a large store).</summary>
    public const int SchemaUpgrading = 1006;

    /// <summary>Information: opening the store upgraded its schema; the entry says from which version and how long it took.</summary>
    public const int SchemaUpgraded = 1007;

    /// <summary>Warning: a command or batch ran longer than the connection's Slow Query Threshold.</summary>
    public const int SlowQuery = 2001;

    /// <summary>Error: a command or batch failed; the entry carries the StemeErrorCode.</summary>
    public const int CommandFailed = 2002;
}

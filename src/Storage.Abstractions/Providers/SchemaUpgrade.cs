namespace StemeQL.Storage.Abstractions;

/// <summary>
/// A schema upgrade that opening a store runs: told once before it starts (<paramref name="Elapsed"/> null) and once
/// after it has committed. An upgrade runs in one transaction and rewrites tables, so on a large store it can take
/// minutes, during which the open waits.
/// </summary>
/// <param name="Where">The store, as its provider describes it (a data folder, or a PostgreSQL server and database).</param>
/// <param name="FromVersion">The schema version the store had.</param>
/// <param name="ToVersion">The schema version it is upgraded to.</param>
/// <param name="Elapsed">How long the upgrade took, once it has committed; null when it is about to start.</param>
public sealed record SchemaUpgrade(string Where, long FromVersion, long ToVersion, TimeSpan? Elapsed)
{
    /// <summary>Whether the upgrade has committed (else it is about to start).</summary>
    public bool Done => Elapsed is not null;

    /// <summary>Tells <paramref name="notify"/> about an upgrade about to start, runs it, then tells it the time taken.</summary>
    public static void Run(Action<SchemaUpgrade>? notify, string where, long from, long to, Action upgrade)
    {
        ArgumentNullException.ThrowIfNull(upgrade);
        notify?.Invoke(new SchemaUpgrade(where, from, to, null));
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        upgrade();
        notify?.Invoke(new SchemaUpgrade(where, from, to, System.Diagnostics.Stopwatch.GetElapsedTime(start)));
    }
}

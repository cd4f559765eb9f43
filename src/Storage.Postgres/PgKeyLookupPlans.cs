using Npgsql;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Makes the rest of a transaction plan its statements as index lookups: no sequential scans, hash or merge joins
/// (<c>SET LOCAL</c>, so the pooled connection is unchanged after it). Every statement a write or a fold sends reads
/// or writes the rows of a few keys, and its plan is the generic one (<c>plan_cache_mode=force_generic_plan</c>), made
/// once per connection and kept until the tables' statistics change. Planned on tables that are empty or not analyzed
/// yet (a new store, or one written for less than autovacuum's first pass), that plan scanned whole tables, so each
/// write cost more as the store grew (0.36 ms to read one value of a 4,000-row <c>mv_value</c>).
/// </summary>
internal static class PgKeyLookupPlans
{
    /// <summary>The settings as a select list, for a statement that carries them (<see cref="PgClock.Lock(PgBatch, bool)"/>).</summary>
    public const string Settings =
        "set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)";

    private const string Sql = "SELECT " + Settings;

    /// <summary>Adds the settings to <paramref name="batch"/>, ahead of the statements they are for (in a transaction).</summary>
    public static void Add(PgBatch batch) => batch.Add(Sql, static _ => { });

    /// <summary>Applies the settings now, in one round trip (for a transaction without a batch of its own to carry them).</summary>
    public static void Apply(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var batch = new PgBatch(connection, transaction);
        Add(batch);
        batch.Execute();
    }
}

using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Upgrades a <c>store.db</c> written at an older schema version to <see cref="Schema.Version"/>, one
/// step per version, all in one transaction: a failed upgrade leaves the file as it was.
/// </summary>
internal static class SchemaMigrations
{
    // Version 1 kept one winner column per lens in mv_set and a rank index for the consensus pick. Version
    // 2 keeps each lens's state in lens_state, keyed by lens; the states are built from the value tallies
    // by the lenses' own folds when the store opens (no lens: marker yet), so no lens rule is written here.
    private static readonly string[] FromVersion1 =
    [
        Schema.LensStateTable,
        "DROP INDEX mv_value_rank",
        "ALTER TABLE mv_set DROP COLUMN consensus_lsn",
        "ALTER TABLE mv_set DROP COLUMN recency_lsn",
    ];

    // Version 2 indexed asserted_at and voted_at (an index insert per event) to map a time to an LSN.
    // Version 3 keeps one row per journal batch in batch_times; the rows built here, one per distinct
    // time with its newest LSN, answer every time exactly as the indexes did.
    private static readonly string[] FromVersion2 =
    [
        Schema.BatchTimesTable,
        """
        INSERT INTO batch_times(at, last_lsn)
        SELECT at, max(lsn) FROM (SELECT asserted_at AS at, lsn FROM assertions UNION ALL SELECT voted_at, lsn FROM votes) GROUP BY at
        """,
        "DROP INDEX IF EXISTS assertions_time",
        "DROP INDEX IF EXISTS votes_time",
    ];

    // Version 3 joined lens_state, mv_set and assertions on every view read. Version 4 keeps each view row in
    // mv_winner, filled here from that join (the fold keeps it from then on).
    private static readonly string[] FromVersion3 =
    [
        WinnerTable.CreateSql,
        WinnerTable.FillSql,
    ];

    /// <summary>Migrates from <paramref name="from"/> (between 1 and the current version) in one transaction.</summary>
    public static void Migrate(SqliteConnection connection, string databasePath, long from)
    {
        using var transaction = connection.BeginTransaction();
        try
        {
            if (from <= 1) Run(connection, transaction, FromVersion1);
            if (from <= 2) Run(connection, transaction, FromVersion2);
            if (from <= 3) Run(connection, transaction, FromVersion3);
            Run(connection, transaction,
            [
                $"UPDATE meta SET value = '{Schema.RequiredStemeQL}' WHERE key = '{Schema.RequiredStemeQLKey}'",
                $"INSERT INTO meta(key, value) VALUES ('migrated_from_schema_version', '{from}') ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                $"PRAGMA user_version = {Schema.Version}",
            ]);
            transaction.Commit();
        }
        catch (SqliteException error)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"'{databasePath}' could not be upgraded from StemeQL schema version {from} to {Schema.Version} ({error.Message}); nothing was changed: check the disk and permissions, or restore the data folder from a backup.", error);
        }
    }

    private static void Run(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> statements)
    {
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}

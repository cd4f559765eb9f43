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
    // mv_winner, filled from that join; the step from version 5 builds it (with the states) from lens_state alone, so
    // this step has nothing left to do.

    // Version 4 named each vote's target by its 32-byte hash in votes, votes_assertion and current_votes. Version 5
    // names it by the target's LSN: both tables are rebuilt from the old ones with a join on the hash index, in LSN
    // (or key) order; the step from version 6 indexes them (by packed rows, where version 5 had votes_assertion).
    private static readonly string[] FromVersion4 =
    [
        "ALTER TABLE votes RENAME TO votes_v4",
        "ALTER TABLE current_votes RENAME TO current_votes_v4",
        "DROP INDEX IF EXISTS votes_assertion",
        "DROP INDEX IF EXISTS votes_agent",
        Schema.VotesTable,
        "INSERT INTO votes(lsn, assertion_lsn, agent, weight, voted_at) SELECT v.lsn, a.lsn, v.agent, v.weight, v.voted_at FROM votes_v4 v JOIN assertions a ON a.hash = v.assertion ORDER BY v.lsn",
        Schema.CurrentVotesTable,
        "INSERT INTO current_votes(assertion_lsn, agent, weight_units, lsn) SELECT a.lsn, c.agent, c.weight_units, c.lsn FROM current_votes_v4 c JOIN assertions a ON a.hash = c.assertion ORDER BY 1, 2",
        "DROP TABLE votes_v4",
        "DROP TABLE current_votes_v4",
    ];

    // Version 5 kept each lens state in lens_state and its view row in mv_winner, two rows with one key written
    // together. Version 6 keeps the state in the view row: mv_winner is rebuilt from the states and the tables the
    // view columns come from (the v5 rows are not trusted over them), in key order, and lens_state goes.
    private static readonly string[] FromVersion5 =
    [
        "DROP TABLE IF EXISTS mv_winner",
        WinnerTable.CreateSql,
        $"INSERT INTO mv_winner {WinnerTable.RowsFrom("lens_state")} ORDER BY 1, 2, 3",
        "DROP TABLE lens_state",
    ];

    // Version 6 indexed votes by target (votes_assertion) and by agent (votes_agent): two index entries, each a B-tree
    // descent, per vote. Version 7 lists each key's votes per ingest chunk in vote_targets and vote_agents, as LSNs;
    // version 8 lists them as offsets from the row's first LSN. From either, the rows are built afresh from votes
    // (PackedVoteIndex.Rebuild, in bins of LSNs) between these statements and the drops of version 6's indexes.
    private static readonly string[] PackedVoteTables =
    [
        "DROP TABLE IF EXISTS vote_targets",
        "DROP TABLE IF EXISTS vote_agents",
        Schema.VoteTargetsTable,
        Schema.VoteAgentsTable,
    ];

    private static readonly string[] DropVersion6Indexes =
    [
        "DROP INDEX IF EXISTS votes_assertion",
        "DROP INDEX IF EXISTS votes_agent",
    ];

    // A version 4 vote on a hash the ledger does not hold (damage: the write path never stores one) has no LSN to name.
    private const string OrphanVotesSql = "SELECT count(*) FROM votes v WHERE NOT EXISTS (SELECT 1 FROM assertions a WHERE a.hash = v.assertion)";

    /// <summary>Migrates from <paramref name="from"/> (between 1 and the current version) in one transaction.</summary>
    public static void Migrate(SqliteConnection connection, string databasePath, long from)
    {
        using var transaction = connection.BeginTransaction();
        try
        {
            if (from <= 1) Run(connection, transaction, FromVersion1);
            if (from <= 2) Run(connection, transaction, FromVersion2);
            if (from <= 4)
            {
                RefuseOrphanVotes(connection, transaction, databasePath, from);
                Run(connection, transaction, FromVersion4);
            }
            if (from <= 5) Run(connection, transaction, FromVersion5);
            if (from <= 7)
            {
                Run(connection, transaction, PackedVoteTables);
                PackedVoteIndex.Rebuild(connection, transaction);
                Run(connection, transaction, DropVersion6Indexes);
            }
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
            // A file this user may not write, a read-only file system or a full disk is named as such.
            throw StorageErrors.ForSqlite(error, databasePath, writing: true, $"upgrading it from StemeQL schema version {from} to {Schema.Version}; nothing was changed")
                ?? new StemeException(StemeErrorCode.StorageFailure,
                $"'{databasePath}' could not be upgraded from StemeQL schema version {from} to {Schema.Version} ({error.Message}); nothing was changed: check the disk and permissions, or restore the data folder from a backup.", error);
        }
    }

    private static void RefuseOrphanVotes(SqliteConnection connection, SqliteTransaction transaction, string databasePath, long from)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = OrphanVotesSql;
        if (command.ExecuteScalar() is long orphans and > 0)
        {
            throw new StemeException(StemeErrorCode.IntegrityError,
                $"'{databasePath}' could not be upgraded from StemeQL schema version {from} to {Schema.Version}: {orphans} votes are on assertions the ledger does not hold, and version {Schema.Version} names a vote's target by its LSN; nothing was changed: run 'steme check' on the data folder with the StemeQL that wrote it, and restore it from a backup.");
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

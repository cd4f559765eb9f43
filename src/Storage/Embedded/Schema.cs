using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The layout of <c>store.db</c> and its version (<c>PRAGMA user_version</c>). A file written by a
/// newer StemeQL is refused rather than misread; its <c>meta</c> table says which StemeQL it needs.
/// </summary>
internal static class Schema
{
    /// <summary>
    /// The schema version this code reads and writes. 1: one column per lens in <c>mv_set</c>;
    /// 2: lens states in <c>lens_state</c>, keyed by lens; 3: write times in <c>batch_times</c>, one
    /// row per journal batch, instead of a time index on each ledger table; 4: each lens's view row denormalized
    /// in <c>mv_winner</c> (see <see cref="WinnerTable"/> and <see cref="SchemaMigrations"/>); 5: votes and current votes
    /// name their target by its LSN (<c>assertion_lsn</c>) instead of its 32-byte hash; 6: each lens state in its view
    /// row (<c>mv_winner</c>'s <c>tally</c> and <c>data</c>, the winner's LSN its <c>lsn</c>), no <c>lens_state</c>; 7: votes
    /// indexed by target and by agent through packed rows (<c>vote_targets</c>, <c>vote_agents</c>: one row per key and
    /// ingest chunk listing its votes' LSNs, see <see cref="PackedVoteIndex"/>) instead of an index entry per vote; 8: a
    /// packed row lists its votes as offsets from its <c>first_lsn</c> instead of as LSNs.
    /// </summary>
    public const int Version = 8;

    /// <summary>
    /// The oldest StemeQL package that reads <see cref="Version"/> (the version line tools/pack.sh stamps);
    /// stored in <c>meta</c>, so that an older provider refusing a newer file can name the release to use.
    /// </summary>
    public const string RequiredStemeQL = "0.1.0";

    /// <summary>The <c>meta</c> key naming the oldest StemeQL that reads the file.</summary>
    public const string RequiredStemeQLKey = "requires_stemeql";

    // Notes on the layout:
    // * lsn is the rowid of assertions and votes: scans in LSN order follow the table itself and
    //   every secondary index ends in the LSN. The hash is a unique key (content addressing).
    // * object has no declared type, i.e. BLOB ("none") affinity: SQLite keeps each value exactly as
    //   bound, so text '1' is never coerced to integer 1. object_type tells 1 from 1.0 from TRUE,
    //   which SQLite would otherwise compare equal.
    // * votes name their target by its LSN (the rowid of assertions), not its hash: the row and its index
    //   are a fraction of the size and their compares integer compares. A read of votes by hash finds the
    //   LSN through the hash index first; a vote row's hash comes from a join on the rowid.
    // * vote_targets and vote_agents index votes by target LSN and by agent: one row per key per ingest chunk (at most
    //   PackedVoteIndex.MaxLsnsPerRow LSNs), its lsns a JSON array of the key's vote LSNs, ascending, as offsets from
    //   first_lsn, the first of them (so the array starts with 0, and a vote's LSN is first_lsn + offset); a key's rows
    //   cover disjoint, rising LSN ranges, so (first_lsn, position) is LSN order. Reads expand a row with json_each and
    //   fetch each vote by rowid. Two index entries per vote (a B-tree descent each)
    //   were most of the ingestor's CPU per vote; a row per key and chunk is one append.
    //   lsns has no declared type or NOT NULL on purpose: with "TEXT NOT NULL" SQLite 3.35's planner sorts a whole key's
    //   votes for a limited read instead of one row's at a time (AccessPathTests checks the plan).
    // * current_votes holds the vote that counts per (assertion LSN, agent): the newest.
    // * mv_value holds the support behind each distinct typed value of a (subject, predicate) set
    //   and its first assertion.
    // * mv_set holds one row per set: total support, distinct values, assertion count.
    // * batch_times maps write time to LSN: one row per journal batch (every operation of a batch has
    //   its time, and times never decrease with the LSN), where a time index on assertions and votes
    //   cost an index insert per event; AS OF TIMESTAMP and the open's newest stamp read it.
    // * mv_winner holds each materialized lens's state per set (the winner's LSN as lsn, and what the lens keeps to
    //   fold the next batch as tally and data), keyed by lens name, so a new lens adds rows, not columns; beside it
    //   the set's view row, denormalized from the tables above, so a view lookup is one seek and a state and its view
    //   row are one row write (see WinnerTable). It has no other index: a read by predicate finds the sets by mv_set_predicate.
    private static readonly string[] CreateStatements =
    [
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID
        """,
        """
        CREATE TABLE assertions(
            lsn INTEGER PRIMARY KEY,
            hash BLOB NOT NULL UNIQUE,
            subject TEXT NOT NULL,
            predicate TEXT NOT NULL,
            object_type INTEGER NOT NULL,
            object,
            epoch TEXT NOT NULL,
            agent TEXT NOT NULL,
            confidence REAL NOT NULL,
            lineage BLOB,
            asserted_at INTEGER NOT NULL)
        """,
        "CREATE INDEX assertions_key ON assertions(subject, predicate)",
        "CREATE INDEX assertions_predicate ON assertions(predicate)",
        VotesTable,
        VoteTargetsTable,
        VoteAgentsTable,
        CurrentVotesTable,
        """
        CREATE TABLE mv_value(
            subject TEXT NOT NULL,
            predicate TEXT NOT NULL,
            object_type INTEGER NOT NULL,
            object,
            support_units INTEGER NOT NULL,
            first_lsn INTEGER NOT NULL,
            PRIMARY KEY(subject, predicate, object_type, object)) WITHOUT ROWID
        """,
        """
        CREATE TABLE mv_set(
            subject TEXT NOT NULL,
            predicate TEXT NOT NULL,
            total_units INTEGER NOT NULL,
            candidates INTEGER NOT NULL,
            assertion_count INTEGER NOT NULL,
            PRIMARY KEY(subject, predicate)) WITHOUT ROWID
        """,
        "CREATE INDEX mv_set_predicate ON mv_set(predicate)",
        BatchTimesTable,
        WinnerTable.CreateSql,
    ];

    /// <summary>The ledger's votes, each naming its target by LSN (also created by the migration from version 4).</summary>
    public const string VotesTable = """
        CREATE TABLE votes(
            lsn INTEGER PRIMARY KEY,
            assertion_lsn INTEGER NOT NULL,
            agent TEXT NOT NULL,
            weight REAL NOT NULL,
            voted_at INTEGER NOT NULL)
        """;

    /// <summary>Votes by their target's LSN, packed: the LSNs of a target's votes in one ingest chunk (also created by the migration from version 6).</summary>
    public static string VoteTargetsTable => PackedVotesTable("vote_targets", "assertion_lsn INTEGER");

    /// <summary>Votes by agent, packed: the LSNs of an agent's votes in one ingest chunk (also created by the migration from version 6).</summary>
    public static string VoteAgentsTable => PackedVotesTable("vote_agents", "agent TEXT");

    private static string PackedVotesTable(string name, string key) =>
        $"CREATE TABLE {name}({key} NOT NULL, first_lsn INTEGER NOT NULL, lsns, PRIMARY KEY({key.Split(' ')[0]}, first_lsn)) WITHOUT ROWID";

    /// <summary>The vote that counts per (target LSN, agent) (also created by the migration from version 4).</summary>
    public const string CurrentVotesTable = """
        CREATE TABLE current_votes(
            assertion_lsn INTEGER NOT NULL,
            agent TEXT NOT NULL,
            weight_units INTEGER NOT NULL,
            lsn INTEGER NOT NULL,
            PRIMARY KEY(assertion_lsn, agent)) WITHOUT ROWID
        """;

    /// <summary>The table of write times (also created by the migration from version 2).</summary>
    public const string BatchTimesTable = """
        CREATE TABLE batch_times(
            at INTEGER NOT NULL,
            last_lsn INTEGER NOT NULL,
            PRIMARY KEY(at, last_lsn)) WITHOUT ROWID
        """;

    /// <summary>The table of lens states of versions 2 to 5 (created by the migration from version 1, folded into <c>mv_winner</c> by the one from version 5).</summary>
    public const string LensStateTable = """
        CREATE TABLE lens_state(
            lens TEXT NOT NULL,
            subject TEXT NOT NULL,
            predicate TEXT NOT NULL,
            winner_lsn INTEGER NOT NULL,
            tally INTEGER NOT NULL,
            data BLOB,
            PRIMARY KEY(lens, subject, predicate)) WITHOUT ROWID
        """;

    /// <summary>
    /// Indexes for reads by agent and for reverse lookups by (predicate, object). They change nothing
    /// an older StemeQL reads, so they keep the schema version: a writable open adds any that are
    /// missing (once, on a store written before them; a few seconds per million assertions).
    /// </summary>
    // * assertions_agent: reads by agent, in LSN order (every index ends in the LSN). Votes by agent: vote_agents.
    // * mv_value_object: (predicate, typed object) to the sets holding that value; the index of a
    //   WITHOUT ROWID table carries the subject (its primary key) too.
    public static readonly IReadOnlyList<string> AccessIndexes =
    [
        "CREATE INDEX IF NOT EXISTS assertions_agent ON assertions(agent)",
        "CREATE INDEX IF NOT EXISTS mv_value_object ON mv_value(predicate, object_type, object)",
    ];

    /// <summary>
    /// Creates the schema in an empty file, migrates an older one (in one transaction), or checks the
    /// version of an existing one. Throws <see cref="StemeException"/> for a newer
    /// (<see cref="StemeErrorCode.SchemaTooNew"/>) or foreign file. <paramref name="onUpgrade"/> is told before and after a migration.
    /// </summary>
    public static void EnsureCreated(SqliteConnection connection, string databasePath, Action<SchemaUpgrade>? onUpgrade = null)
    {
        long version = Convert.ToInt64(SqliteRuntime.Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > Version) throw Newer(connection, databasePath, version);
        if (version > 0 && version < Version)
            SchemaUpgrade.Run(onUpgrade, Path.GetDirectoryName(databasePath) ?? databasePath, version, Version, () => SchemaMigrations.Migrate(connection, databasePath, version));
        if (version > 0)
        {
            foreach (var sql in AccessIndexes) SqliteRuntime.Execute(connection, sql);
            return;
        }
        long objects = Convert.ToInt64(SqliteRuntime.Scalar(connection, "SELECT count(*) FROM sqlite_master"), CultureInfo.InvariantCulture);
        if (objects != 0)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"'{databasePath}' is a SQLite database but not a StemeQL store: use an empty or new data folder for StemeQL.");
        }
        Create(connection);
    }

    /// <summary>
    /// Checks a file opened read-only: it cannot be migrated, so an older version asks for one writable
    /// open; a newer one is refused as on a writable open.
    /// </summary>
    public static void CheckReadable(long version, string databasePath, Func<string?> requiredRelease)
    {
        if (version == Version) return;
        if (version > Version) throw Newer(databasePath, version, requiredRelease());
        throw new StemeException(StemeErrorCode.SchemaTooOld,
            $"'{databasePath}' has StemeQL schema version {version}, older than the version {Version} this StemeQL reads, and a read-only open cannot upgrade it: open the data folder once for writing (which upgrades it in one transaction), then read-only.");
    }

    private static void Create(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        foreach (var sql in CreateStatements) Execute(connection, transaction, sql);
        foreach (var sql in AccessIndexes) Execute(connection, transaction, sql);
        Execute(connection, transaction,
            $"INSERT INTO meta(key, value) VALUES ('{RequiredStemeQLKey}', '{RequiredStemeQL}'), ('created_schema_version', '{Version}')");
        Execute(connection, transaction, $"PRAGMA user_version = {Version}");
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static StemeException Newer(SqliteConnection connection, string databasePath, long version)
    {
        string? release = null;
        try
        {
            // A newer schema keeps the meta table (it is how a file names the release it needs).
            release = SqliteRuntime.Scalar(connection, RequiredReleaseSql) as string;
        }
        catch (SqliteException)
        {
            // The newer layout has no readable meta table; the generic advice stands.
        }
        return Newer(databasePath, version, release);
    }

    /// <summary>Reads the release a file needs from <c>meta</c>.</summary>
    public const string RequiredReleaseSql = $"SELECT value FROM meta WHERE key = '{RequiredStemeQLKey}'";

    private static StemeException Newer(string databasePath, long version, string? release)
    {
        // The release comes from the file (the newer StemeQL wrote it); RequiredStemeQL is what this one writes.
        string needed = release is null
            ? "open it with a newer StemeQL"
            : $"the file needs StemeQL {release} or later (its requires_stemeql row in meta): open it with that release or a later one";
        return new StemeException(StemeErrorCode.SchemaTooNew,
            $"'{databasePath}' was written by a newer StemeQL (schema version {version}; this StemeQL reads schema versions up to {Version}) and is not upgraded or changed: {needed}.");
    }
}

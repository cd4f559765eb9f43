using System.Globalization;
using Npgsql;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The tables of a PostgreSQL store, in the connection's current schema (its <c>Search Path</c>), and
/// their version (the <c>schema_version</c> row of <c>stemeql_meta</c>). A schema written by a newer
/// StemeQL is refused rather than misread; creation runs once, under an advisory lock, so processes
/// opening a new database at the same time do not race.
/// </summary>
internal static class PgSchema
{
    /// <summary>
    /// The schema version this code reads and writes: 1, the first PostgreSQL layout; 2 adds <c>mv_winner</c>
    /// (<see cref="PgWinners"/>), which a version-1 StemeQL would not keep; 3 folds <c>lens_state</c> into <c>mv_winner</c>
    /// (one row per lens and set holds the state and the view row), which an older StemeQL would not find; 4 partitions
    /// <c>mv_winner</c> by lens (<see cref="PgWinnerPartitions"/>), where an older StemeQL would not make a new lens's partition.
    /// </summary>
    public const int Version = 4;

    /// <summary>
    /// The oldest StemeQL package that reads <see cref="Version"/> (the version line tools/pack.sh stamps), stored as
    /// <c>requires_stemeql</c>, so that an older provider refusing a newer schema can name the release to use.
    /// </summary>
    public const string RequiredStemeQL = "0.1.0";

    // Any fixed number: it only keeps two processes from creating the tables (or a partition) at once.
    private const long CreateLockKey = 0x5354454D45514C;

    // Where a version-3 mv_winner waits while its rows are copied into the partitioned one: not a name a partition takes.
    private const string Version3Winners = "old_mv_winner";

    /// <summary>Takes the creation lock for <paramref name="transaction"/>: schema creation, upgrades and partitions are made one process at a time.</summary>
    public static void LockCreation(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({CreateLockKey})");

    // Notes on the layout:
    // * Text keys and objects are bytea (see PgText, PgValueCodec): exact bytes, U+0000 included.
    // * object_digest (SHA-256 of object) is what indexes and the views key objects by; subject_key and
    //   predicate_key (PgText.Key: the text, or for long text a prefix and its SHA-256) are what indexes
    //   and the views key sets by, since a B-tree entry holds at most about 2.7 KB.
    // * stemeql_clock is one row: the last LSN given, the last write time and the ledger counts. A write
    //   locks it first, so writes from every process are serialized and commit in LSN order.
    // * No index on asserted_at or voted_at: write times never decrease with the LSN, so LastLsnAt searches the
    //   primary keys. Stores created before that release had assertions_time and votes_time: a writable open drops
    //   them (DropUnusedIndexes), and the schema version stays, since an earlier release works without them.
    // * current_votes, mv_value, mv_set and mv_winner are the views' tables, kept by Core's ViewFold in the write's own
    //   transaction (see PgFoldBuffer); mv_winner holds each lens's state of a set with its view row, denormalized for
    //   lookups (PgWinners): one row and one index entry per lens and set where versions 1 and 2 kept two. It is partitioned
    //   by lens (version 4); the partitions are made per lens (PgWinnerPartitions), not here.
    private static readonly string[] CreateStatements =
    [
        "CREATE TABLE stemeql_meta(key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE stemeql_clock(id int PRIMARY KEY CHECK (id = 1), last_lsn bigint NOT NULL, last_ticks bigint NOT NULL,
            assertion_count bigint NOT NULL, vote_count bigint NOT NULL)
        """,
        "INSERT INTO stemeql_clock VALUES (1, 0, 0, 0, 0)",
        """
        CREATE TABLE assertions(
            lsn bigint PRIMARY KEY,
            hash bytea NOT NULL UNIQUE,
            subject bytea NOT NULL,
            predicate bytea NOT NULL,
            subject_key bytea NOT NULL,
            predicate_key bytea NOT NULL,
            object_type smallint NOT NULL,
            object bytea NOT NULL,
            object_digest bytea NOT NULL,
            epoch bytea NOT NULL,
            agent bytea NOT NULL,
            confidence double precision NOT NULL,
            lineage bytea,
            asserted_at bigint NOT NULL)
        """,
        "CREATE INDEX assertions_key ON assertions(subject_key, predicate_key, lsn)",
        "CREATE INDEX assertions_predicate ON assertions(predicate_key, lsn)",
        "CREATE INDEX assertions_agent ON assertions(agent, lsn)",
        "CREATE INDEX assertions_object ON assertions(object_type, object_digest)",
        """
        CREATE TABLE votes(
            lsn bigint PRIMARY KEY,
            assertion bytea NOT NULL,
            agent bytea NOT NULL,
            weight double precision NOT NULL,
            voted_at bigint NOT NULL)
        """,
        "CREATE INDEX votes_assertion ON votes(assertion, lsn)",
        "CREATE INDEX votes_agent ON votes(agent, lsn)",
        """
        CREATE TABLE current_votes(
            assertion bytea NOT NULL,
            agent bytea NOT NULL,
            weight_units bigint NOT NULL,
            lsn bigint NOT NULL,
            PRIMARY KEY(assertion, agent))
        """,
        """
        CREATE TABLE mv_value(
            subject bytea NOT NULL,
            predicate bytea NOT NULL,
            object_type smallint NOT NULL,
            object_digest bytea NOT NULL,
            support_units bigint NOT NULL,
            first_lsn bigint NOT NULL,
            PRIMARY KEY(subject, predicate, object_type, object_digest))
        """,
        "CREATE INDEX mv_value_object ON mv_value(predicate, object_type, object_digest)",
        """
        CREATE TABLE mv_set(
            subject bytea NOT NULL,
            predicate bytea NOT NULL,
            total_units bigint NOT NULL,
            candidates bigint NOT NULL,
            assertion_count bigint NOT NULL,
            PRIMARY KEY(subject, predicate))
        """,
        "CREATE INDEX mv_set_predicate ON mv_set(predicate)",
        PgWinners.CreateSql,
    ];

    /// <summary>The view tables (the integrity check shadows them with TEMP copies).</summary>
    public static readonly string[] ViewTables = ["current_votes", "mv_value", "mv_set", "mv_winner"];

    /// <summary>Creates the tables in an empty schema, or checks the version of existing ones (upgrading an older one; <paramref name="onUpgrade"/> is told before and after).</summary>
    public static void EnsureCreated(NpgsqlConnection connection, string where, bool readOnly, Action<SchemaUpgrade>? onUpgrade = null)
    {
        if (ReadVersion(connection, where) is { } version)
        {
            Check(version, where, connection);
            if (version < Version) Upgrade(connection, where, readOnly, onUpgrade);
            if (!readOnly) DropUnusedIndexes(connection);
            return;
        }
        if (readOnly)
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"{where} holds no StemeQL store, and a read-only open cannot create one: open it once for writing.");
        using var transaction = connection.BeginTransaction();
        LockCreation(connection, transaction);
        // Another process may have created it while this one waited for the lock.
        if (ReadVersion(connection, where) is { } created)
        {
            transaction.Commit();
            Check(created, where, connection);
            if (created < Version) Upgrade(connection, where, readOnly, onUpgrade);
            return;
        }
        foreach (var sql in CreateStatements) Execute(connection, transaction, sql);
        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO stemeql_meta VALUES ('schema_version', '{Version}'), ('requires_stemeql', '{RequiredStemeQL}')"));
        transaction.Commit();
    }

    // From version 1 or 2 (both keep the states in lens_state; 2 also has mv_winner without them): mv_winner is made
    // anew from the states joined with the views, and lens_state goes; from version 3 (mv_winner not partitioned), its rows
    // are copied into the partitioned table. In one transaction that holds the clock (no write runs meanwhile) and the
    // creation lock (another process upgrading at the same time waits, then finds it done).
    private static void Upgrade(NpgsqlConnection connection, string where, bool readOnly, Action<SchemaUpgrade>? onUpgrade)
    {
        if (readOnly)
            throw new StemeException(StemeErrorCode.SchemaTooOld,
                $"{where} has an older StemeQL schema, which a read-only open cannot upgrade: open it once without Read Only=True (the upgrade takes one transaction), then read-only.");
        using var transaction = connection.BeginTransaction();
        LockCreation(connection, transaction);
        PgClock.Lock(connection, transaction);
        long from = ReadVersion(connection, where) ?? Version;
        if (from >= Version)
        {
            transaction.Commit();
            return;
        }
        // Told only once this process holds the locks and still finds the old version: another process that upgraded
        // meanwhile leaves nothing to report.
        SchemaUpgrade.Run(onUpgrade, where, from, Version, () => UpgradeFrom(connection, transaction, from));
    }

    private static void UpgradeFrom(NpgsqlConnection connection, NpgsqlTransaction transaction, long from)
    {
        if (from >= 3)
        {
            // The old table's key index keeps its name (mv_winner_pkey) through a rename: renamed too, for the new table's.
            Execute(connection, transaction, $"ALTER TABLE mv_winner RENAME TO {Version3Winners}");
            Execute(connection, transaction, $"ALTER INDEX mv_winner_pkey RENAME TO {Version3Winners}_pkey");
        }
        else Execute(connection, transaction, "DROP TABLE IF EXISTS mv_winner");
        string source = from >= 3 ? Version3Winners : "lens_state";
        Execute(connection, transaction, PgWinners.CreateSql);
        PgWinnerPartitions.Create(connection, transaction, PgWinnerPartitions.LensesIn(connection, transaction, source));
        Execute(connection, transaction, from >= 3
            ? $"INSERT INTO mv_winner({PgWinners.Columns}) SELECT {PgWinners.Columns} FROM {Version3Winners}"
            : PgWinners.FromLensStateSql);
        Execute(connection, transaction, "DROP TABLE " + source);
        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture,
            $"UPDATE stemeql_meta SET value = '{Version}' WHERE key = 'schema_version'"));
        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture,
            $"UPDATE stemeql_meta SET value = '{RequiredStemeQL}' WHERE key = 'requires_stemeql'"));
        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO stemeql_meta VALUES ('migrated_from_schema_version', '{from}') ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
        transaction.Commit();
    }

    /// <summary>Indexes an earlier release created that no read uses any more (each write still kept them up).</summary>
    public static readonly string[] UnusedIndexes = ["assertions_time", "votes_time"];

    // Looked up first: DROP INDEX takes its table's exclusive lock, which a store without them need not wait for.
    private static void DropUnusedIndexes(NpgsqlConnection connection)
    {
        foreach (var index in UnusedIndexes)
        {
            if (!OnSearchPath(connection, index)) continue;
            using var command = new NpgsqlCommand($"DROP INDEX IF EXISTS {index}", connection);
            command.ExecuteNonQuery();
        }
    }

    // Whether a schema of the Search Path holds the table or index $1 (where the statements' unqualified names find it).
    // Asked of pg_class with the statement's snapshot: to_regclass answers from the session's catalog cache, which after
    // a wait for the creation lock can still miss the tables another process created meanwhile (this one would then
    // create them again and fail with 42P07).
    private const string OnSearchPathSql = """
        EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ANY (current_schemas(false)) AND c.relname = $1)
        """;

    private static bool OnSearchPath(NpgsqlConnection connection, string name)
    {
        using var command = new NpgsqlCommand("SELECT " + OnSearchPathSql, connection);
        command.Parameters.AddWithValue(name);
        return (bool)command.ExecuteScalar()!;
    }

    // Null when the schema holds no stemeql_meta (a new store); a table without a readable version is damage, which
    // creating the tables would only turn into 42P07.
    private static long? ReadVersion(NpgsqlConnection connection, string where)
    {
        using (var find = new NpgsqlCommand($"SELECT current_schema(), current_setting('search_path'), {OnSearchPathSql}", connection))
        {
            find.Parameters.AddWithValue("stemeql_meta");
            using var reader = find.ExecuteReader();
            reader.Read();
            // No schema of the Search Path exists: said here, as a read-only open would otherwise ask for a writable one.
            if (reader.IsDBNull(0)) throw PgErrors.SchemaMissing(where, reader.GetString(1));
            if (!reader.GetBoolean(2)) return null;
        }
        using var command = new NpgsqlCommand("SELECT value FROM stemeql_meta WHERE key = 'schema_version'", connection);
        if (command.ExecuteScalar() is not string text)
            throw new StemeException(StemeErrorCode.IntegrityError,
                $"{where} has a stemeql_meta table without its schema_version row: the store's metadata is damaged or incomplete (StemeQL writes that row with the table), so its tables are neither read nor created again. Restore the database from a backup, or point Search Path at an empty schema for a new store.");
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long version) || version < 1)
            throw new StemeException(StemeErrorCode.IntegrityError,
                $"{where} has a damaged schema_version row in stemeql_meta ('{Shorten(text)}', not a schema version number): it was changed outside StemeQL, so the store is not read. Restore the database from a backup, or set the row back to the schema version of its tables.");
        return version;
    }

    // A damaged value is named in the message, but not at any length.
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static void Check(long version, string where, NpgsqlConnection connection)
    {
        if (version <= Version) return;
        using var command = new NpgsqlCommand("SELECT value FROM stemeql_meta WHERE key = 'requires_stemeql'", connection);
        // The release comes from the store (the newer StemeQL wrote it); RequiredStemeQL is what this one writes.
        string needed = command.ExecuteScalar() is string release
            ? $"the store needs StemeQL {release} or later (its requires_stemeql row): open it with that release or a later one"
            : "open it with a newer StemeQL";
        throw new StemeException(StemeErrorCode.SchemaTooNew,
            $"{where} was written by a newer StemeQL (schema version {version}; this StemeQL reads schema versions up to {Version}) and is not upgraded or changed: {needed}.");
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}

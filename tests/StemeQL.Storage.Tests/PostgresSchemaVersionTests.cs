using System.Globalization;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// Older PostgreSQL layouts opened by this release: version 3 (<c>mv_winner</c> one table, not partitioned by lens),
/// version 2 (each lens's state in <c>lens_state</c>, <c>mv_winner</c> without it) and version 1 (no <c>mv_winner</c>)
/// are made from a store written now, by the DDL below.
/// </summary>
public sealed class PostgresSchemaVersionTests : IDisposable
{
    private readonly PostgresBackend.TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    // Version 3's layout: mv_winner one table with version 4's columns, keyed by (lens, subject_key, predicate_key), not
    // partitioned (a Replace that missed would leave it partitioned, which the tests of version 3 check it is not).
    private static readonly string DowngradeToVersion3 = $"""
        CREATE TEMP TABLE winner_rows AS SELECT * FROM mv_winner;
        DROP TABLE mv_winner;
        {PgWinners.CreateSql.Replace("PRIMARY KEY(subject_key, predicate_key, lens))\n    PARTITION BY LIST (lens)",
            "PRIMARY KEY(lens, subject_key, predicate_key))", StringComparison.Ordinal)};
        INSERT INTO mv_winner SELECT * FROM winner_rows;
        DROP TABLE winner_rows;
        UPDATE stemeql_meta SET value = '3' WHERE key = 'schema_version';
        UPDATE stemeql_meta SET value = '1.3' WHERE key = 'requires_stemeql';
        """;

    // Version 2's layout: the states in lens_state, and mv_winner the same table without the states' columns.
    private static readonly string DowngradeToVersion2 = DowngradeToVersion3 + """
        CREATE TABLE lens_state(
            lens text NOT NULL,
            subject bytea NOT NULL,
            predicate bytea NOT NULL,
            winner_lsn bigint NOT NULL,
            tally bigint NOT NULL,
            data bytea,
            PRIMARY KEY(lens, subject, predicate));
        INSERT INTO lens_state SELECT lens, subject_key, predicate_key, lsn, tally, data FROM mv_winner;
        ALTER TABLE mv_winner DROP COLUMN tally, DROP COLUMN data;
        UPDATE stemeql_meta SET value = '2' WHERE key = 'schema_version';
        UPDATE stemeql_meta SET value = '1.2' WHERE key = 'requires_stemeql';
        """;

    // Version 1's: version 2 without mv_winner.
    private static readonly string DowngradeToVersion1 = DowngradeToVersion2 + """
        DROP TABLE mv_winner;
        UPDATE stemeql_meta SET value = '1' WHERE key = 'schema_version';
        """;

    private const string WinnerRows = """
        SELECT string_agg(concat_ws('|', lens, encode(subject_key, 'hex'), encode(predicate_key, 'hex'), lsn, encode(hash, 'hex'), object_type,
            encode(object, 'hex'), support_units, total_units, candidates, tally, encode(data, 'hex')), ';' ORDER BY lens, subject_key, predicate_key)
        FROM mv_winner
        """;

    private static readonly string Current = PgSchema.Version.ToString(CultureInfo.InvariantCulture);

    private static string DowngradeTo(long version) => version switch
    {
        3 => DowngradeToVersion3,
        2 => DowngradeToVersion2,
        _ => DowngradeToVersion1,
    };

    private object? Meta(string key) => _schema.Scalar($"SELECT value FROM stemeql_meta WHERE key = '{key}'");

    // The tables mv_winner's rows are in: the partitions of a partitioned table, or the table itself.
    private object? WinnerTables() => _schema.Scalar("""
        SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c
        WHERE c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'mv_winner'::regclass)
            OR (c.oid = 'mv_winner'::regclass AND c.relkind = 'r')
        """);

    private static readonly (string Subject, string Predicate)[] Sets = [("paris", "capital_of"), ("rome", "capital_of"), ("paris", "population")];

    // Several sets, with votes that move consensus away from the first assertion and a second value in a set.
    private void WriteSets()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        var france = store.Assert(A("paris", "capital_of", "france"));
        store.Assert(A("paris", "capital_of", "spain", agent: "bob"));
        store.Vote(france.Hash, "carol");
        var italy = store.Assert(A("rome", "capital_of", "italy", confidence: 0.5));
        store.Assert(A("rome", "capital_of", "vatican", agent: "dave", confidence: 0.9));
        store.Vote(italy.Hash, "erin", 0.75);
        store.Assert(A("paris", "population", StemeValue.Integer(2_100_000)));
    }

    [Fact]
    public void Open_upgrades_a_version_3_schema_moving_every_row_into_its_lens_s_partition()
    {
        WriteSets();
        var before = _schema.Scalar(WinnerRows);
        _schema.Execute(DowngradeToVersion3);
        Assert.Equal("mv_winner", WinnerTables());

        using var upgraded = PostgresStore.Open(_schema.ConnectionString);

        Assert.Equal(Current, Meta("schema_version"));
        Assert.Equal(PgSchema.RequiredStemeQL, Meta("requires_stemeql"));
        Assert.Equal("3", Meta("migrated_from_schema_version"));
        Assert.Equal("mv_winner_consensus,mv_winner_recency", WinnerTables());
        Assert.Equal(3L, _schema.Scalar("SELECT count(*) FROM mv_winner_consensus"));
        Assert.Equal(false, _schema.Scalar("SELECT to_regclass('old_mv_winner') IS NOT NULL"));
        Assert.Equal(before, _schema.Scalar(WinnerRows));
        ReferenceLens.AssertViewsMatch(upgraded, Sets, "after the upgrade from version 3");
        Assert.True(upgraded.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void A_store_upgraded_from_an_older_version_folds_later_writes_into_the_migrated_rows(long version)
    {
        WriteSets();
        _schema.Execute(DowngradeTo(version));

        using var upgraded = PostgresStore.Open(_schema.ConnectionString);
        var spain = A("paris", "capital_of", "spain", agent: "bob").Hash;
        upgraded.Vote(spain, "frank");
        upgraded.Vote(spain, "grace");
        upgraded.Assert(A("madrid", "capital_of", "spain"));

        Assert.Equal("spain", upgraded.View("consensus", "paris", "capital_of").Winner.Assertion.Object.AsText);
        ReferenceLens.AssertViewsMatch(upgraded, [.. Sets, ("madrid", "capital_of")], "after writes to the upgraded store");
        Assert.True(upgraded.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
    }

    [Fact]
    public void A_read_only_open_of_a_version_3_schema_fails_with_SchemaTooOld_and_changes_nothing()
    {
        WriteSets();
        var before = _schema.Scalar(WinnerRows);
        _schema.Execute(DowngradeToVersion3);

        var error = Assert.Throws<StemeException>(() => PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString) { ReadOnly = true }));

        Assert.Equal(StemeErrorCode.SchemaTooOld, error.ErrorCode);
        Assert.Equal("3", Meta("schema_version"));
        Assert.Equal("mv_winner", WinnerTables());
        Assert.Equal(before, _schema.Scalar(WinnerRows));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task Two_stores_opening_an_older_schema_at_once_upgrade_it_once(long version)
    {
        WriteSets();
        var before = _schema.Scalar(WinnerRows);
        _schema.Execute(DowngradeTo(version));

        var told = new System.Collections.Concurrent.ConcurrentQueue<SchemaUpgrade>();
        var settings = new StoreSettings(_schema.ConnectionString) { OnSchemaUpgrade = told.Enqueue };

        var stores = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => PostgresStore.Open(_schema.ConnectionString, settings))));

        foreach (var store in stores) store.Dispose();
        Assert.Equal(Current, Meta("schema_version"));
        Assert.Equal("mv_winner_consensus,mv_winner_recency", WinnerTables());
        Assert.Equal(before, _schema.Scalar(WinnerRows));
        // Only the store that ran the upgrade tells of it: before it starts, then once it has committed.
        Assert.Equal([(version, 4L, false), (version, 4L, true)], told.Select(u => (u.FromVersion, u.ToVersion, u.Done)));
    }

    [Fact]
    public void Open_upgrades_a_version_2_schema_keeping_every_state_and_view_row_in_mv_winner()
    {
        WriteSets();
        var before = _schema.Scalar(WinnerRows);
        _schema.Execute(DowngradeToVersion2);

        using var upgraded = PostgresStore.Open(_schema.ConnectionString);

        Assert.Equal(Current, Meta("schema_version"));
        Assert.Equal("2", Meta("migrated_from_schema_version"));
        Assert.Equal("mv_winner_consensus,mv_winner_recency", WinnerTables());
        Assert.Equal(false, _schema.Scalar("SELECT to_regclass('lens_state') IS NOT NULL"));
        Assert.Equal(before, _schema.Scalar(WinnerRows));
        ReferenceLens.AssertViewsMatch(upgraded, Sets, "after the upgrade from version 2");
        Assert.True(upgraded.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
    }

    [Fact]
    public void A_read_only_open_of_a_version_2_schema_fails_with_SchemaTooOld_and_changes_nothing()
    {
        WriteSets();
        _schema.Execute(DowngradeToVersion2);

        var error = Assert.Throws<StemeException>(() => PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString) { ReadOnly = true }));

        Assert.Equal(StemeErrorCode.SchemaTooOld, error.ErrorCode);
        Assert.Equal("2", Meta("schema_version"));
        Assert.Equal(6L, _schema.Scalar("SELECT count(*) FROM lens_state"));
        Assert.Equal(false, _schema.Scalar("SELECT count(*) > 0 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'mv_winner' AND column_name = 'tally'"));
    }

    [Fact]
    public void Open_upgrades_a_version_1_schema_building_mv_winner_from_the_states()
    {
        WriteSets();
        var before = _schema.Scalar(WinnerRows);
        _schema.Execute(DowngradeToVersion1);

        using var upgraded = PostgresStore.Open(_schema.ConnectionString);

        Assert.Equal(Current, Meta("schema_version"));
        Assert.Equal("1", Meta("migrated_from_schema_version"));
        Assert.Equal("mv_winner_consensus,mv_winner_recency", WinnerTables());
        Assert.Equal(before, _schema.Scalar(WinnerRows));
        ReferenceLens.AssertViewsMatch(upgraded, Sets, "after the upgrade from version 1");
        Assert.True(upgraded.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
    }

    [Fact]
    public void A_read_only_open_of_a_version_1_schema_fails_with_SchemaTooOld_and_changes_nothing()
    {
        WriteSets();
        _schema.Execute(DowngradeToVersion1);

        var error = Assert.Throws<StemeException>(() => PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString) { ReadOnly = true }));

        Assert.Equal(StemeErrorCode.SchemaTooOld, error.ErrorCode);
        Assert.Equal("1", Meta("schema_version"));
    }
}

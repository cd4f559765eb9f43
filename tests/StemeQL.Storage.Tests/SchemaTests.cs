using Microsoft.Data.Sqlite;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public sealed class SchemaTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string DatabasePath => Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName);

    private void Sql(string sql)
    {
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        SqliteRuntime.Execute(connection, sql);
    }

    [Fact]
    public void Open_uses_wal_and_records_the_schema_version()
    {
        SqliteRuntime.EnsureInitialised();
        using (EmbeddedStore.Open(_folder.Path))
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
            connection.Open();
            Assert.Equal("wal", SqliteRuntime.Scalar(connection, "PRAGMA journal_mode"));
            Assert.Equal((long)Schema.Version, SqliteRuntime.Scalar(connection, "PRAGMA user_version"));
        }
    }

    [Fact]
    public void Close_leaves_the_database_without_a_write_ahead_log()
    {
        using (EmbeddedStore.Open(_folder.Path)) { }
        Assert.False(File.Exists(DatabasePath + "-wal"));
        Assert.False(File.Exists(DatabasePath + "-shm"));
    }

    [Fact]
    public void Closing_the_writer_while_a_read_only_store_has_the_file_open_does_not_wait_for_it()
    {
        var writer = EmbeddedStore.Open(_folder.Path);
        writer.Assert(A("a", "b", "c"));
        using var reader = EmbeddedStore.OpenReadOnly(_folder.Path);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        writer.Dispose();
        // The reader keeps the write-ahead log in use; closing waited out SQLite's 30 s lock timeout for it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"closing took {clock.Elapsed}");
        Assert.Single(reader.ScanAssertions(KeyFilter.All));
    }

    [Fact]
    public void Open_refuses_a_newer_schema_and_names_the_stemeql_it_needs()
    {
        using (var store = EmbeddedStore.Open(_folder.Path)) store.Assert(A("a", "b", "c"));
        Sql("UPDATE meta SET value = '7.2' WHERE key = 'requires_stemeql'; PRAGMA user_version = 99;");
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(_folder.Path));
        Assert.Equal(StemeErrorCode.SchemaTooNew, error.ErrorCode);
        Assert.Contains("needs StemeQL 7.2 or later", error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        // This StemeQL's schema version, and the release the file names (not this StemeQL's own RequiredStemeQL).
        Assert.Contains($"this StemeQL reads schema versions up to {Schema.Version}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"this StemeQL {Schema.RequiredStemeQL}", error.Message, StringComparison.Ordinal);
        // The refusal released the folder: fixing the version lets it open again.
        Sql($"PRAGMA user_version = {Schema.Version}");
        using var reopened = EmbeddedStore.Open(_folder.Path);
        Assert.Equal(1, reopened.LastLsn);
    }

    [Fact]
    public void OpenReadOnly_refuses_a_newer_schema_without_changing_it()
    {
        using (var store = EmbeddedStore.Open(_folder.Path)) store.Assert(A("a", "b", "c"));
        Sql("PRAGMA user_version = 99");
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.OpenReadOnly(_folder.Path));
        Assert.Equal(StemeErrorCode.SchemaTooNew, error.ErrorCode);
        Assert.Equal(99L, UserVersion());
    }

    // The version 4 layout, made from a version 5 store: votes and current votes name their target by its hash.
    private const string DowngradeToVersion4 = SchemaDowngrades.ToVersion5 + """
        ALTER TABLE votes RENAME TO votes_v5;
        DROP INDEX votes_assertion;
        DROP INDEX votes_agent;
        CREATE TABLE votes(lsn INTEGER PRIMARY KEY, assertion BLOB NOT NULL, agent TEXT NOT NULL, weight REAL NOT NULL, voted_at INTEGER NOT NULL);
        INSERT INTO votes SELECT v.lsn, a.hash, v.agent, v.weight, v.voted_at FROM votes_v5 v JOIN assertions a ON a.lsn = v.assertion_lsn;
        DROP TABLE votes_v5;
        CREATE INDEX votes_assertion ON votes(assertion);
        CREATE INDEX votes_agent ON votes(agent);
        ALTER TABLE current_votes RENAME TO current_votes_v5;
        CREATE TABLE current_votes(assertion BLOB NOT NULL, agent TEXT NOT NULL, weight_units INTEGER NOT NULL, lsn INTEGER NOT NULL,
            PRIMARY KEY(assertion, agent)) WITHOUT ROWID;
        INSERT INTO current_votes SELECT a.hash, c.agent, c.weight_units, c.lsn FROM current_votes_v5 c JOIN assertions a ON a.lsn = c.assertion_lsn;
        DROP TABLE current_votes_v5;
        PRAGMA user_version = 4;
        """;

    // The version 3 layout, made from a version 4 store: no winner rows.
    private const string DowngradeToVersion3 = DowngradeToVersion4 + """
        DROP TABLE mv_winner;
        PRAGMA user_version = 3;
        """;

    // The version 2 layout, made from a version 3 store: a time index on each ledger table, no batch_times.
    private const string DowngradeToVersion2 = DowngradeToVersion3 + """
        CREATE INDEX assertions_time ON assertions(asserted_at);
        CREATE INDEX votes_time ON votes(voted_at);
        DROP TABLE batch_times;
        PRAGMA user_version = 2;
        """;

    // The version 1 layout, made from a version 2 store: each lens's winner back in a column of mv_set,
    // the consensus rank index, no lens_state and no lens markers.
    private const string DowngradeToVersion1 = DowngradeToVersion2 + """
        ALTER TABLE mv_set ADD COLUMN consensus_lsn INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE mv_set ADD COLUMN recency_lsn INTEGER NOT NULL DEFAULT 0;
        UPDATE mv_set SET
            consensus_lsn = (SELECT winner_lsn FROM lens_state l WHERE l.lens = 'consensus' AND l.subject = mv_set.subject AND l.predicate = mv_set.predicate),
            recency_lsn = (SELECT winner_lsn FROM lens_state l WHERE l.lens = 'recency' AND l.subject = mv_set.subject AND l.predicate = mv_set.predicate);
        CREATE INDEX mv_value_rank ON mv_value(subject, predicate, support_units DESC, first_lsn);
        DROP TABLE lens_state;
        DELETE FROM meta WHERE key LIKE 'lens:%';
        UPDATE meta SET value = '1.0' WHERE key = 'requires_stemeql';
        PRAGMA user_version = 1;
        """;

    private static readonly (string, string)[] MigrationSets = [("paris", "capital_of"), ("sky", "colour")];

    private void BuildVersion1Store()
    {
        WriteMigrationSets();
        Sql(DowngradeToVersion1);
        Assert.Equal(1L, UserVersion());
    }

    private void WriteMigrationSets()
    {
        using var store = EmbeddedStore.Open(_folder.Path);
        store.Assert(A("paris", "capital_of", "france", "alice"));
        store.Assert(A("paris", "capital_of", "france", "bob"));
        var germany = store.Assert(A("paris", "capital_of", "germany", "carol")).Hash;
        store.Assert(A("sky", "colour", "blue", "zed", 0.4));
        store.Vote(germany, "dave");
        store.Vote(germany, "erin", 0.5);
    }

    // Every vote as a read returns it (target hash, agent, weight, LSN, time), and each current vote by its target's hash.
    private const string VotesByHashSql = "SELECT hex(a.hash), v.agent, v.weight, v.lsn, v.voted_at FROM votes v JOIN assertions a ON a.lsn = v.assertion_lsn ORDER BY v.lsn";
    private const string CurrentVotesByHashSql = "SELECT hex(a.hash), c.agent, c.weight_units, c.lsn FROM current_votes c JOIN assertions a ON a.lsn = c.assertion_lsn ORDER BY 1, 2";
    private const string Version4VotesSql = "SELECT hex(assertion), agent, weight, lsn, voted_at FROM votes ORDER BY lsn";
    private const string Version4CurrentVotesSql = "SELECT hex(assertion), agent, weight_units, lsn FROM current_votes ORDER BY 1, 2";

    [Fact]
    public void Open_migrates_a_version_4_store_and_keeps_every_vote_and_current_vote()
    {
        WriteMigrationSets();
        using (var store = EmbeddedStore.Open(_folder.Path))
        {
            // A replaced vote: the ledger keeps both, current_votes the newer.
            var germany = store.ScanAssertions(new Abstractions.KeyFilter(["paris"], null)).Single(a => a.Assertion.Object.AsText == "germany").Assertion.Hash;
            store.Vote(germany, "dave", 0.25);
            store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
        }
        var votes = SqlRows(VotesByHashSql);
        var current = SqlRows(CurrentVotesByHashSql);
        Assert.Equal(3, votes.Count);
        Assert.Equal(2, current.Count);
        Sql(DowngradeToVersion4);
        Assert.Equal(4L, UserVersion());
        Assert.Equal(votes, SqlRows(Version4VotesSql));
        Assert.Equal(current, SqlRows(Version4CurrentVotesSql));

        using (var store = EmbeddedStore.Open(_folder.Path))
        {
            ReferenceLens.AssertViewsMatch(store, MigrationSets, "after the migration from version 4");
            Assert.Empty(store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
        }
        Assert.Equal((long)Schema.Version, UserVersion());
        Assert.Equal(votes, SqlRows(VotesByHashSql));
        Assert.Equal(current, SqlRows(CurrentVotesByHashSql));
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM sqlite_master WHERE name IN ('votes_agent', 'votes_assertion')"));
        Assert.Equal("4", SqlScalar("SELECT value FROM meta WHERE key = 'migrated_from_schema_version'"));
    }

    // Every state and every view row, by key.
    private const string StatesSql = "SELECT lens, subject, predicate, lsn, tally, hex(data) FROM mv_winner ORDER BY 1, 2, 3";
    private const string Version5StatesSql = "SELECT lens, subject, predicate, winner_lsn, tally, hex(data) FROM lens_state ORDER BY 1, 2, 3";
    private const string ViewRowsSql = """
        SELECT lens, subject, predicate, lsn, hex(hash), object_type, object, epoch, agent, confidence, hex(lineage), asserted_at, support_units, total_units, candidates
        FROM mv_winner ORDER BY 1, 2, 3
        """;

    private void WriteVersion5Store()
    {
        WriteMigrationSets();
        using (var store = EmbeddedStore.Open(_folder.Path))
        {
            // A set whose consensus winner moved back and forth, and a vote that moves no winner.
            store.Vote(store.Assert(A("paris", "capital_of", "france", "frank")).Hash, "gina");
            store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
        }
    }

    [Fact]
    public void Open_migrates_a_version_5_store_and_keeps_every_view_row_and_state()
    {
        WriteVersion5Store();
        var states = SqlRows(StatesSql);
        var rows = SqlRows(ViewRowsSql);
        Assert.Equal(4, states.Count);
        Sql(SchemaDowngrades.ToVersion5);
        Assert.Equal(5L, UserVersion());
        Assert.Equal(states, SqlRows(Version5StatesSql));
        Assert.Equal(rows, SqlRows(ViewRowsSql));

        using (var store = EmbeddedStore.Open(_folder.Path))
        {
            ReferenceLens.AssertViewsMatch(store, MigrationSets, "after the migration from version 5");
            Assert.Empty(store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
        }
        Assert.Equal((long)Schema.Version, UserVersion());
        Assert.Equal(states, SqlRows(StatesSql));
        Assert.Equal(rows, SqlRows(ViewRowsSql));
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM sqlite_master WHERE name = 'lens_state'"));
        Assert.Equal("5", SqlScalar("SELECT value FROM meta WHERE key = 'migrated_from_schema_version'"));
    }

    [Fact]
    public void An_open_that_migrates_tells_before_it_starts_and_after_it_commits()
    {
        WriteVersion5Store();
        Sql(SchemaDowngrades.ToVersion5);
        var told = new List<(Abstractions.SchemaUpgrade Upgrade, long VersionThen)>();

        using (EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with { OnSchemaUpgrade = u => told.Add((u, UserVersion())) }))
        {
        }
        using (EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with { OnSchemaUpgrade = u => told.Add((u, UserVersion())) }))
        {
        }

        // Twice for the one migration, none for the open after it; the version as another connection saw it at each call.
        Assert.Equal(2, told.Count);
        Assert.Equal((_folder.Path, 5L, (long)Schema.Version, false, 5L), (told[0].Upgrade.Where, told[0].Upgrade.FromVersion, told[0].Upgrade.ToVersion, told[0].Upgrade.Done, told[0].VersionThen));
        Assert.Equal((_folder.Path, 5L, (long)Schema.Version, true, (long)Schema.Version), (told[1].Upgrade.Where, told[1].Upgrade.FromVersion, told[1].Upgrade.ToVersion, told[1].Upgrade.Done, told[1].VersionThen));
        Assert.True(told[1].Upgrade.Elapsed >= TimeSpan.Zero);
    }

    [Fact]
    public void A_migrated_version_5_store_keeps_folding_new_writes()
    {
        WriteVersion5Store();
        Sql(SchemaDowngrades.ToVersion5);
        using var store = EmbeddedStore.Open(_folder.Path);
        var germany = store.ScanAssertions(new Abstractions.KeyFilter(["paris"], null)).First(a => a.Assertion.Object.AsText == "germany").Assertion.Hash;
        store.Vote(germany, "hal");
        store.Vote(germany, "ivy");
        store.Assert(A("sky", "colour", "grey", "jay"));
        ReferenceLens.AssertViewsMatch(store, MigrationSets, "after writes on the store migrated from version 5");
        Assert.Equal("germany", store.View("consensus", "paris", "capital_of").Winner.Assertion.Object.AsText);
        Assert.Empty(store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    [Fact]
    public void OpenReadOnly_of_a_version_5_store_asks_for_one_writable_open()
    {
        WriteVersion5Store();
        Sql(SchemaDowngrades.ToVersion5);
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.OpenReadOnly(_folder.Path));
        Assert.Equal(StemeErrorCode.SchemaTooOld, error.ErrorCode);
        Assert.Contains("version 5", error.Message, StringComparison.Ordinal);
        Assert.Equal(5L, UserVersion());
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM sqlite_master WHERE name = 'lens_state'"));
    }

    [Fact]
    public void A_version_4_store_with_a_vote_on_a_missing_assertion_is_not_upgraded()
    {
        WriteMigrationSets();
        Sql(DowngradeToVersion4 + "INSERT INTO votes VALUES (1000, zeroblob(32), 'mallory', 1.0, 0);");
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(_folder.Path));
        Assert.Equal(StemeErrorCode.IntegrityError, error.ErrorCode);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(4L, UserVersion());
        Assert.Equal(3L, SqlScalar("SELECT count(*) FROM votes"));
    }

    [Fact]
    public void OpenReadOnly_of_a_version_4_store_asks_for_one_writable_open()
    {
        WriteMigrationSets();
        Sql(DowngradeToVersion4);
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.OpenReadOnly(_folder.Path));
        Assert.Equal(StemeErrorCode.SchemaTooOld, error.ErrorCode);
        Assert.Equal(4L, UserVersion());
    }

    private List<string> SqlRows(string sql)
    {
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    [Fact]
    public void Open_migrates_a_version_3_store_and_fills_each_view_row_from_the_views()
    {
        WriteMigrationSets();
        Sql(DowngradeToVersion3);
        Assert.Equal(3L, UserVersion());
        using (var store = EmbeddedStore.Open(_folder.Path))
        {
            ReferenceLens.AssertViewsMatch(store, MigrationSets, "after the migration from version 3");
            Assert.Equal("germany", store.View("consensus", "paris", "capital_of").Winner.Assertion.Object.AsText);
            // The filled rows keep following new writes.
            store.Vote(store.Assert(A("paris", "capital_of", "france", "frank")).Hash, "gina");
            ReferenceLens.AssertViewsMatch(store, MigrationSets, "after writes on the migrated store");
            Assert.Equal("france", store.View("consensus", "paris", "capital_of").Winner.Assertion.Object.AsText);
        }
        Assert.Equal((long)Schema.Version, UserVersion());
        Assert.Equal(4L, SqlScalar("SELECT count(*) FROM mv_winner"));
        Assert.Equal(0L, SqlScalar($"SELECT count(*) FROM ({WinnerTable.JoinSql} EXCEPT SELECT * FROM mv_winner)"));
        Assert.Equal("3", SqlScalar("SELECT value FROM meta WHERE key = 'migrated_from_schema_version'"));
    }

    [Fact]
    public void OpenReadOnly_of_a_version_3_store_asks_for_one_writable_open()
    {
        WriteMigrationSets();
        Sql(DowngradeToVersion3);
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.OpenReadOnly(_folder.Path));
        Assert.Equal(StemeErrorCode.SchemaTooOld, error.ErrorCode);
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM sqlite_master WHERE name = 'mv_winner'"));
    }

    [Fact]
    public void Open_migrates_a_version_2_store_and_each_time_maps_to_the_same_lsn_as_before()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var options = EmbeddedStoreOptions.Default with { Time = time };
        var probes = new List<DateTime>();
        var before = new List<long>();
        using (var store = EmbeddedStore.Open(_folder.Path, options))
        {
            probes.Add(time.GetUtcNow().UtcDateTime.AddSeconds(-1));
            var paris = store.Assert(A("paris", "capital_of", "france")).Hash;
            store.Write([new Abstractions.VoteOperation(new Core.Model.Vote(paris, "bob", 1)), new Abstractions.AssertOperation(A("rome", "capital_of", "italy"))]);
            probes.Add(time.GetUtcNow().UtcDateTime);
            time.Advance(TimeSpan.FromSeconds(10));
            store.Vote(paris, "carol");
            probes.Add(time.GetUtcNow().UtcDateTime.AddSeconds(5));
            time.Advance(TimeSpan.FromSeconds(10));
            store.Assert(A("sky", "colour", "blue"));
            probes.Add(time.GetUtcNow().UtcDateTime);
            store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
            before.AddRange(probes.Select(store.LastLsnAt));
        }
        Assert.Equal([0L, 3L, 4L, 5L], before);
        Sql(DowngradeToVersion2);
        using (var store = EmbeddedStore.Open(_folder.Path, options))
            Assert.Equal(before, probes.Select(store.LastLsnAt));
        Assert.Equal((long)Schema.Version, UserVersion());
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM sqlite_master WHERE name IN ('assertions_time', 'votes_time')"));
        Assert.Equal("2", SqlScalar("SELECT value FROM meta WHERE key = 'migrated_from_schema_version'"));
    }

    [Fact]
    public void Open_migrates_a_version_1_store_and_its_views_answer_as_before()
    {
        BuildVersion1Store();
        using (var store = EmbeddedStore.Open(_folder.Path))
        {
            ReferenceLens.AssertViewsMatch(store, MigrationSets, "after the migration");
            Assert.Equal("germany", store.View("consensus", "paris", "capital_of").Winner.Assertion.Object.AsText);
            // The migrated views keep folding new writes.
            store.Assert(A("paris", "capital_of", "france", "frank"));
            ReferenceLens.AssertViewsMatch(store, MigrationSets, "after a write on the migrated store");
        }
        Assert.Equal((long)Schema.Version, UserVersion());
        Assert.Equal(0L, SqlScalar("SELECT count(*) FROM sqlite_master WHERE name = 'mv_value_rank'"));
        Assert.Equal("1", SqlScalar("SELECT value FROM meta WHERE key = 'migrated_from_schema_version'"));
        Assert.Equal(Schema.RequiredStemeQL, SqlScalar("SELECT value FROM meta WHERE key = 'requires_stemeql'"));
    }

    [Fact]
    public void A_failed_migration_changes_nothing()
    {
        BuildVersion1Store();
        // A table in the way of the migration's first step makes it fail part way.
        Sql("CREATE TABLE lens_state(x)");
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(_folder.Path));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, UserVersion());
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM sqlite_master WHERE name = 'mv_value_rank'"));
        Assert.Equal(1L, SqlScalar("SELECT count(*) FROM pragma_table_info('mv_set') WHERE name = 'consensus_lsn'"));
    }

    [Fact]
    public void OpenReadOnly_of_a_version_1_store_asks_for_one_writable_open()
    {
        BuildVersion1Store();
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.OpenReadOnly(_folder.Path));
        Assert.Equal(StemeErrorCode.SchemaTooOld, error.ErrorCode);
        Assert.Equal(1L, UserVersion());
        using (EmbeddedStore.Open(_folder.Path)) { }
        using var reader = EmbeddedStore.OpenReadOnly(_folder.Path);
        ReferenceLens.AssertViewsMatch(reader, MigrationSets, "read-only after the migration");
    }

    private long UserVersion() => (long)SqlScalar("PRAGMA user_version")!;

    private object? SqlScalar(string sql)
    {
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return SqliteRuntime.Scalar(connection, sql);
    }

    [Fact]
    public void Open_refuses_a_sqlite_database_that_is_not_a_store()
    {
        Directory.CreateDirectory(_folder.Path);
        Sql("CREATE TABLE something_else(x)");
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(_folder.Path));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
    }

    [Fact]
    public void Open_reports_a_file_that_is_not_a_database_as_a_storage_failure()
    {
        Directory.CreateDirectory(_folder.Path);
        File.WriteAllText(DatabasePath, new string('x', 4096));
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.Open(_folder.Path));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public void OpenReadOnly_reports_a_file_that_is_not_a_store_at_open()
    {
        Directory.CreateDirectory(_folder.Path);
        File.WriteAllText(DatabasePath, new string('x', 4096));
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.OpenReadOnly(_folder.Path));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
    }

    [Fact]
    public void Open_adds_the_access_indexes_to_a_store_written_without_them_and_keeps_the_version()
    {
        using (var store = EmbeddedStore.Open(_folder.Path)) store.Assert(A("a", "b", "c"));
        const string DropIndexes = "DROP INDEX assertions_agent; DROP INDEX mv_value_object;";
        Sql(DropIndexes);
        // A read-only open adds nothing (it cannot write) and still answers, without the index.
        using (var reader = EmbeddedStore.OpenReadOnly(_folder.Path))
            Assert.Single(reader.ScanAssertions(Abstractions.KeyFilter.ForAgents(["alice"])));
        Assert.Equal(0L, IndexCount());
        using (var store = EmbeddedStore.Open(_folder.Path))
            Assert.Single(store.ScanAssertions(Abstractions.KeyFilter.ForAgents(["alice"])));
        Assert.Equal(2L, IndexCount());
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        Assert.Equal((long)Schema.Version, SqliteRuntime.Scalar(connection, "PRAGMA user_version"));

        long IndexCount()
        {
            SqliteRuntime.EnsureInitialised();
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
            connection.Open();
            return (long)SqliteRuntime.Scalar(connection,
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('assertions_agent', 'mv_value_object')")!;
        }
    }

    public static TheoryData<string> MaintenanceStatements => new([.. ViewMaintenance.Statements, CurrentVotesTable.ReadRowsSql, CurrentVotesTable.WriteRowsSql, SetRowWrites.ExistsSql, SetRowWrites.ExistRowsSql, .. LensStateTable.Statements, WinnerTable.StoreStateSql, WinnerTable.StoreStateRowsSql, WinnerTable.RefreshSql, WinnerTable.RefreshRowsSql, WinnerTable.WriteTalliesOneSql, WinnerTable.WriteTalliesRowsSql, WinnerTable.WriteStateTalliesOneSql, WinnerTable.WriteStateTalliesRowsSql, WinnerTable.WriteSql, WinnerTable.WriteRowsSql, VoteTargets.LookupStatements.One, VoteTargets.LookupStatements.Many, .. ViewReadAhead.Statements, .. SetRowWrites.UpsertRowsSql]);

    [Theory]
    [MemberData(nameof(MaintenanceStatements))]
    public void View_maintenance_statements_use_indexes_only(string sql)
    {
        Assert.All(QueryPlan(sql), step =>
        {
            Assert.DoesNotContain("TEMP B-TREE", step, StringComparison.Ordinal);
            // A statement scans its own constant key list (k: a VALUES clause, or one constant row), then seeks each key.
            Assert.False(step.StartsWith("SCAN", StringComparison.Ordinal) && !step.EndsWith("VALUES CLAUSE", StringComparison.Ordinal)
                && step != "SCAN CONSTANT ROW" && step != "SCAN k", step);
        });
    }

    [Theory]
    [InlineData("SELECT last_lsn FROM batch_times WHERE at <= $at ORDER BY at DESC, last_lsn DESC LIMIT 1")]
    [InlineData("SELECT lsn, subject, predicate, object_type, object FROM main.assertions WHERE hash = $hash")]
    [InlineData("SELECT subject, predicate, object_type, object FROM main.assertions WHERE lsn = $lsn")]
    [InlineData(LedgerHashFilter.ScanSql)]
    public void Point_lookups_use_indexes_only(string sql)
    {
        var plan = QueryPlan(sql);
        Assert.NotEmpty(plan);
        Assert.All(plan, step =>
        {
            Assert.DoesNotContain("TEMP B-TREE", step, StringComparison.Ordinal);
            Assert.StartsWith("SEARCH", step, StringComparison.Ordinal);
        });
    }

    private List<string> QueryPlan(string sql)
    {
        using (EmbeddedStore.Open(_folder.Path)) { }
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "subject", "predicate", "type", "object", "units", "lsn", "new_value", "assertion_lsn", "assertion", "agent", "at", "hash", "after", "chunk", "new_values", "new_assertions", "lens", "tally", "data" })
            if (sql.Contains("$" + name, StringComparison.Ordinal)) command.Parameters.AddWithValue("$" + name, 1);
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return steps;
    }
}

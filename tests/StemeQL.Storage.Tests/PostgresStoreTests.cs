using Npgsql;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>What only the PostgreSQL store has: a server to lose, credentials, a schema shared by processes.</summary>
public sealed class PostgresStoreTests : IDisposable
{
    private readonly PostgresBackend.TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public void Open_refuses_a_schema_written_by_a_newer_StemeQL_and_leaves_it_unchanged()
    {
        using (var store = PostgresStore.Open(_schema.ConnectionString)) store.Assert(A("s", "p", "o"));
        _schema.Execute("UPDATE stemeql_meta SET value = '99' WHERE key = 'schema_version'");
        _schema.Execute("UPDATE stemeql_meta SET value = '7.2' WHERE key = 'requires_stemeql'");

        var error = Assert.Throws<StemeException>(() => PostgresStore.Open(_schema.ConnectionString));

        Assert.Equal(StemeErrorCode.SchemaTooNew, error.ErrorCode);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        // This StemeQL's schema version, and the release the store names (not this StemeQL's own RequiredStemeQL).
        Assert.Contains($"this StemeQL reads schema versions up to {PgSchema.Version}", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs StemeQL 7.2 or later", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"this StemeQL {PgSchema.RequiredStemeQL}", error.Message, StringComparison.Ordinal);
        Assert.Equal("99", _schema.Scalar("SELECT value FROM stemeql_meta WHERE key = 'schema_version'"));
    }

    [Fact]
    public void A_writable_open_drops_the_time_indexes_an_earlier_release_created_and_a_read_only_one_leaves_them()
    {
        using (var store = PostgresStore.Open(_schema.ConnectionString)) store.Assert(A("s", "p", "o"));
        _schema.Execute("CREATE INDEX assertions_time ON assertions(asserted_at)");
        _schema.Execute("CREATE INDEX votes_time ON votes(voted_at)");
        const string Count = "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('assertions_time', 'votes_time')";

        using (PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString) { ReadOnly = true })) { }
        Assert.Equal(2L, _schema.Scalar(Count));

        using var writable = PostgresStore.Open(_schema.ConnectionString);
        Assert.Equal(0L, _schema.Scalar(Count));
        Assert.Equal(StemeValue.Text("o"), writable.View("consensus", "s", "p").Winner.Assertion.Object);
    }

    [Fact]
    public void A_read_only_store_on_one_host_reads_what_a_writer_wrote()
    {
        using var writer = PostgresStore.Open(_schema.ConnectionString);
        writer.Assert(A("paris", "capital_of", "france"));

        using var reader = PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString) { ReadOnly = true });

        Assert.Equal(StemeValue.Text("france"), reader.View("consensus", "paris", "capital_of").Winner.Assertion.Object);
    }

    [Fact]
    public void A_connection_lost_mid_write_is_transient_writes_nothing_and_its_retry_writes_once()
    {
        string application = "stemeql-" + Guid.NewGuid().ToString("N")[..8];
        string connectionString = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { ApplicationName = application }.ConnectionString;
        using var store = PostgresStore.Open(connectionString);
        store.Assert(A("s", "p", "first"));
        var write = new List<WriteOperation> { new AssertOperation(A("s", "p", "second")), new VoteOperation(new Vote(A("s", "p", "first").Hash, "bob", 1.0)) };

        // Another session holds the clock, so the write waits inside its transaction; its connection is then killed.
        using var holder = new NpgsqlConnection(_schema.ConnectionString);
        holder.Open();
        using (var transaction = holder.BeginTransaction())
        {
            using (var lockClock = new NpgsqlCommand("SELECT last_lsn FROM stemeql_clock WHERE id = 1 FOR UPDATE", holder, transaction)) lockClock.ExecuteScalar();
            var pending = Task.Run(() => store.Write(write));
            Wait.Until(() => _schema.Scalar(
                $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND wait_event_type = 'Lock'") is 1L);
            _schema.Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{application}'");

            var error = Assert.Throws<StemeException>(() => pending.GetAwaiter().GetResult());
            Assert.Equal(StemeErrorCode.ConnectionLost, error.ErrorCode);
            Assert.True(error.IsTransient);
        }

        Assert.Equal(1, store.LastLsn);
        Assert.Equal(1, store.CountAssertions(KeyFilter.All));
        var retried = store.Write(write);
        var again = store.Write(write.Take(1).ToList());
        Assert.Equal(new AssertOutcome(A("s", "p", "second").Hash, 2, Created: true), retried[0]);
        Assert.Equal(new AssertOutcome(A("s", "p", "second").Hash, 2, Created: false), again[0]);
        Assert.Equal(2, store.CountAssertions(KeyFilter.All));
    }

    [Fact]
    public void A_vote_whose_commit_reply_is_lost_is_found_committed_and_returns_as_written_so_nothing_is_recorded_twice()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        store.Assert(A("s", "p", "o"));
        var vote = new List<WriteOperation> { new VoteOperation(new Vote(A("s", "p", "o").Hash, "bob", 0.5)) };
        // The commit reaches the server, and the client then loses the connection before it reads the reply.
        store.AfterCommitForTests = () => throw new NpgsqlException("the reply was lost", new IOException("Connection reset by peer"));

        var outcome = Assert.Single(store.Write(vote));

        store.AfterCommitForTests = null;
        Assert.Equal(new VoteOutcome(2), outcome);
        Assert.Equal(1L, _schema.Scalar("SELECT count(*) FROM votes"));
        Assert.Equal(3, ((VoteOutcome)store.Write(vote)[0]).Lsn);
    }

    [Fact]
    public void A_write_whose_connection_is_lost_as_its_commit_is_sent_is_found_not_committed_and_says_nothing_was_stored()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        store.Assert(A("s", "p", "o"));
        var write = new List<WriteOperation> { new AssertOperation(A("s", "p", "other")), new VoteOperation(new Vote(A("s", "p", "o").Hash, "bob", 0.5)) };
        // The server ends the session before the commit's round trip, so the transaction is rolled back.
        store.BeforeCommitForTests = connection =>
        {
            _schema.Execute($"SELECT pg_terminate_backend({connection.ProcessID})");
            Wait.Until(() => _schema.Scalar($"SELECT count(*) FROM pg_stat_activity WHERE pid = {connection.ProcessID}") is 0L);
        };

        var error = Assert.Throws<StemeException>(() => store.Write(write));

        store.BeforeCommitForTests = null;
        Assert.Equal(StemeErrorCode.ConnectionLost, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Contains("was not committed", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, _schema.Scalar("SELECT count(*) FROM votes"));
        Assert.Equal(1, store.CountAssertions(KeyFilter.All));
        var retried = store.Write(write);
        Assert.Equal(new AssertOutcome(A("s", "p", "other").Hash, 2, Created: true), retried[0]);
        Assert.Equal(1L, _schema.Scalar("SELECT count(*) FROM votes"));
    }

    [Theory]
    [InlineData("assertions")] // the ledger's COPY, still open while the write folds
    [InlineData("mv_value")]
    [InlineData("mv_winner")]
    public void A_bulk_write_whose_COPY_the_server_refuses_writes_nothing_and_its_retry_writes_once(string table)
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        store.Assert(A("s", "p", "first"));
        var write = Enumerable.Range(0, 1100).Select(i => (WriteOperation)new AssertOperation(A("bulk" + i, "p", "v" + i))).ToList();
        // The server refuses the table's last row, after the rows before it (and the other tables' COPYs) went in.
        _schema.Execute($"ALTER TABLE {table} ADD CONSTRAINT refuse_one CHECK (subject <> 'bulk1099'::bytea)");

        var error = Assert.Throws<StemeException>(() => store.Write(write));

        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Equal(1, store.LastLsn);
        Assert.Equal(1, store.CountAssertions(KeyFilter.All));
        Assert.Equal(0L, _schema.Scalar($"SELECT count(*) FROM {table} WHERE subject <> 's'::bytea"));
        _schema.Execute($"ALTER TABLE {table} DROP CONSTRAINT refuse_one");
        store.Write(write);
        Assert.Equal(1101, store.CountAssertions(KeyFilter.All));
        Assert.Equal(write.Count, store.Write(write).Count(o => o is AssertOutcome { Created: false }));
        ReferenceLens.AssertViewsMatch(store, [("s", "p"), ("bulk0", "p"), ("bulk1099", "p")], "after the retried bulk write");
    }

    [Fact]
    public void Open_on_a_port_where_no_server_listens_fails_with_ServerUnreachable_which_is_transient()
    {
        var error = Assert.Throws<StemeException>(() => PostgresStore.Open("Host=127.0.0.1;Port=1;Timeout=3;Password=hunter2"));

        Assert.Equal(StemeErrorCode.ServerUnreachable, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_as_a_role_the_server_does_not_know_fails_with_AuthenticationFailed()
    {
        string connectionString = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { Username = "nobody_" + Guid.NewGuid().ToString("N")[..8], Password = "hunter2" }.ConnectionString;

        var error = Assert.Throws<StemeException>(() => PostgresStore.Open(connectionString));

        Assert.Equal(StemeErrorCode.AuthenticationFailed, error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_on_a_database_that_does_not_exist_fails_with_DatabaseMissing()
    {
        string connectionString = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { Database = "missing_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;

        var error = Assert.Throws<StemeException>(() => PostgresStore.Open(connectionString));

        Assert.Equal(StemeErrorCode.DatabaseMissing, error.ErrorCode);
    }

    [Fact]
    public void A_data_source_that_is_not_an_Npgsql_connection_string_is_InvalidConnectionString_without_its_password()
    {
        var error = Assert.Throws<StemeException>(() => PostgresStoreProvider.Instance.Acquire(new StoreSettings("Hots=db;Password=hunter2")));

        Assert.Equal(StemeErrorCode.InvalidConnectionString, error.ErrorCode);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Leases_on_one_data_source_share_one_store_and_a_write_is_seen_by_a_second_instance_at_once()
    {
        using var first = PostgresStoreProvider.Instance.Acquire(new StoreSettings(_schema.ConnectionString));
        using var second = PostgresStoreProvider.Instance.Acquire(new StoreSettings(_schema.ConnectionString));
        using var other = PostgresStore.Open(_schema.ConnectionString);
        Assert.Same(first.Store, second.Store);

        var written = first.Store.Write([new AssertOperation(A("s", "p", "o"))]);

        Assert.Equal(written[0].Lsn, other.LastLsn);
        Assert.Equal("o", Assert.Single(other.LookupView("consensus", Key("s", "p"))).Winner.Assertion.Object.AsText);
        Assert.DoesNotContain("Password", first.DataSource, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CheckIntegrity_reports_a_view_changed_outside_StemeQL_and_repair_rebuilds_it()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        var paris = store.Assert(A("paris", "capital_of", "france")).Hash;
        store.Assert(A("paris", "capital_of", "germany", "bob", 0.5));
        store.Vote(paris, "carol");
        Assert.True(store.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
        _schema.Execute("UPDATE mv_set SET total_units = total_units + 1");

        var report = store.CheckIntegrity(repair: true, null, CancellationToken.None);

        Assert.Equal(IntegrityKinds.ViewMismatch, Assert.Single(report.Problems).Kind);
        Assert.True(report.ViewsRebuilt);
        Assert.True(store.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
        ReferenceLens.AssertViewsMatch(store, [("paris", "capital_of")], "after repair");
    }

    [Theory]
    [InlineData("tally = tally + 1")] // a lens state's column
    [InlineData("lsn = lsn + 1")] // the state's winner, which is the view row's LSN
    [InlineData("object = convert_to('forged', 'UTF8')")] // a view row's column
    public void CheckIntegrity_reports_a_damaged_mv_winner_row_and_repair_folds_it_again(string damage)
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        var paris = store.Assert(A("paris", "capital_of", "france")).Hash;
        store.Assert(A("paris", "capital_of", "germany", "bob", 0.5));
        store.Vote(paris, "carol");
        _schema.Execute($"UPDATE mv_winner SET {damage} WHERE lens = 'consensus'");

        var report = store.CheckIntegrity(repair: true, null, CancellationToken.None);

        Assert.Equal(IntegrityKinds.ViewMismatch, Assert.Single(report.Problems).Kind);
        Assert.True(report.ViewsRebuilt);
        Assert.True(store.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
        ReferenceLens.AssertViewsMatch(store, [("paris", "capital_of")], "after repair");
    }

    [Fact]
    public void CheckIntegrity_reports_an_assertion_row_that_no_longer_matches_its_hash()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        var hash = store.Assert(A("paris", "capital_of", "france")).Hash;
        _schema.Execute("UPDATE assertions SET object = convert_to('spain', 'UTF8')");

        // mv_winner holds the winner's columns as written, so the views differ from the changed ledger too.
        var problems = store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems;
        var problem = Assert.Single(problems, p => p.Kind == IntegrityKinds.AssertionHash);

        Assert.Equal([IntegrityKinds.AssertionHash, IntegrityKinds.ViewMismatch], problems.Select(p => p.Kind).Order());
        Assert.Equal(hash, problem.Hash);
        Assert.Equal(1, problem.Lsn);
    }
}

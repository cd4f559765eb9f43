using Npgsql;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// A PostgreSQL write in two round trips under the clock lock (the lock with its reads, then ledger, views, clock and
/// commit in one batch): how many it costs, that a batch failing midway leaves nothing, and that what another writer
/// stores while a write waits for the lock is seen.
/// </summary>
public sealed class PostgresWriteRoundTripTests : IDisposable
{
    private readonly PostgresBackend.TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public void A_single_assert_costs_two_round_trips()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        store.Assert(A("warm", "p", "up"));

        Assert.Equal(2, NpgsqlRoundTrips.Of(() => store.Write([new AssertOperation(A("paris", "capital_of", "france"))])));
    }

    [Fact]
    public void A_single_assert_into_a_stored_set_costs_two_round_trips()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        store.Assert(A("paris", "capital_of", "france"));

        Assert.Equal(2, NpgsqlRoundTrips.Of(() => store.Write([new AssertOperation(A("paris", "capital_of", "texas", "bob"))])));
    }

    [Fact]
    public void A_single_vote_costs_three_round_trips_one_before_the_lock()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        var hash = store.Assert(A("paris", "capital_of", "france")).Hash;

        Assert.Equal(3, NpgsqlRoundTrips.Of(() => store.Write([new VoteOperation(new Vote(hash, "bob", 0.5))])));
    }

    [Fact]
    public void A_batch_of_assertions_and_votes_costs_three_round_trips()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        var stored = store.Assert(A("paris", "capital_of", "france")).Hash;
        var write = Enumerable.Range(0, 50).Select(i => (WriteOperation)new AssertOperation(A("s" + i, "p", "v" + i)))
            .Concat(Enumerable.Range(0, 50).Select(i => new VoteOperation(new Vote(stored, "voter" + i, 0.5))))
            .ToList();

        Assert.Equal(3, NpgsqlRoundTrips.Of(() => store.Write(write)));
    }

    [Fact]
    public void A_write_whose_batch_fails_after_the_ledger_insert_writes_nothing_and_its_retry_writes_once()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        var first = store.Assert(A("paris", "capital_of", "france")).Hash;
        var write = new List<WriteOperation> { new AssertOperation(A("paris", "capital_of", "texas", "bob")), new VoteOperation(new Vote(first, "carol", 0.25)) };
        // The lookup table is written last in the batch, after the ledger and the other views: failing there fails midway.
        _schema.Execute("""
            CREATE FUNCTION fail_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
            CREATE TRIGGER fail_write BEFORE INSERT OR UPDATE ON mv_winner FOR EACH ROW EXECUTE FUNCTION fail_write();
            """);

        Assert.Throws<StemeException>(() => store.Write(write));

        Assert.Equal(1L, _schema.Scalar("SELECT last_lsn FROM stemeql_clock"));
        Assert.Equal(1L, _schema.Scalar("SELECT count(*) FROM assertions"));
        Assert.Equal(0L, _schema.Scalar("SELECT count(*) FROM votes"));
        Assert.Equal(0L, _schema.Scalar("SELECT count(*) FROM current_votes"));
        Assert.Equal(1L, _schema.Scalar("SELECT candidates FROM mv_set"));
        Assert.Equal(1L, _schema.Scalar("SELECT count(*) FROM mv_value"));
        _schema.Execute("DROP TRIGGER fail_write ON mv_winner");
        var retried = store.Write(write);
        Assert.Equal(new AssertOutcome(A("paris", "capital_of", "texas", "bob").Hash, 2, Created: true), retried[0]);
        Assert.Equal(3L, _schema.Scalar("SELECT last_lsn FROM stemeql_clock"));
        ReferenceLens.AssertViewsMatch(store, [("paris", "capital_of")], "after the retry");
    }

    [Fact]
    public async Task A_vote_whose_target_another_writer_stores_while_it_waits_for_the_lock_is_recorded_and_folded()
    {
        string application = "stemeql-" + Guid.NewGuid().ToString("N")[..8];
        using var voter = PostgresStore.Open(Named(application + "-v"));
        using var asserter = PostgresStore.Open(Named(application + "-a"));
        voter.Assert(A("paris", "capital_of", "france"));
        var target = A("paris", "capital_of", "texas", "bob");

        using var holder = new NpgsqlConnection(_schema.ConnectionString);
        holder.Open();
        Task<IReadOnlyList<WriteOutcome>> vote;
        Task<AssertOutcome> assert;
        using (var transaction = holder.BeginTransaction())
        {
            using (var lockClock = new NpgsqlCommand("SELECT last_lsn FROM stemeql_clock WHERE id = 1 FOR UPDATE", holder, transaction)) lockClock.ExecuteScalar();
            // The asserter queues first; the voter looks its target up (not stored yet) and queues behind it.
            assert = Task.Run(() => asserter.Assert(target));
            Wait.Until(() => Waiting(application + "-a"));
            vote = Task.Run(() => voter.Write([new VoteOperation(new Vote(target.Hash, "carol", 1.0))]));
            Wait.Until(() => Waiting(application + "-v"));
            transaction.Commit();
        }

        Assert.True((await assert).Created);
        Assert.Equal(3, (await vote).OfType<VoteOutcome>().Single().Lsn);
        ReferenceLens.AssertViewsMatch(voter, [("paris", "capital_of")], "after a vote on an assertion stored while it waited");
    }

    private string Named(string application) => new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { ApplicationName = application }.ConnectionString;

    private bool Waiting(string application) =>
        _schema.Scalar($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND wait_event_type = 'Lock'") is 1L;
}

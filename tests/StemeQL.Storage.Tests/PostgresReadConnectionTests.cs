using Npgsql;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>The connection a reading thread keeps for its next read (PgReadConnections): what happens when the server closes it.</summary>
public sealed class PostgresReadConnectionTests : IDisposable
{
    private readonly PostgresBackend.TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public void A_read_after_the_server_closed_the_threads_kept_connection_runs_on_a_fresh_one()
    {
        string application = "stemeql-" + Guid.NewGuid().ToString("N")[..8];
        using var store = PostgresStore.Open(new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { ApplicationName = application }.ConnectionString);
        store.Write([new AssertOperation(A("paris", "capital_of", "france"))]);
        Assert.Single(store.LookupView("consensus", Key("paris", "capital_of")));

        _schema.Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{application}'");

        Assert.Equal("france", Assert.Single(store.LookupView("consensus", Key("paris", "capital_of"))).Winner.Assertion.Object.AsText);
        Assert.Equal(1, store.CountAssertions(KeyFilter.All));
    }

    [Fact]
    public void A_consensus_lookup_by_subject_and_predicate_costs_one_round_trip()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        store.Write([new AssertOperation(A("paris", "capital_of", "france"))]);
        _ = store.LookupView("consensus", Key("paris", "capital_of")).ToList();

        Assert.Equal(1, NpgsqlRoundTrips.Of(() => Assert.Single(store.LookupView("consensus", Key("paris", "capital_of")))));
    }

    [Fact]
    public void A_read_nested_in_another_reads_rows_runs_on_its_own_connection()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);
        store.Write([new AssertOperation(A("a", "p", "1")), new AssertOperation(A("b", "p", "2"))]);

        var pairs = store.ScanAssertions(KeyFilter.All).Select(outer => (outer.Assertion.Subject, store.CountAssertions(new KeyFilter([outer.Assertion.Subject], null)))).ToList();

        Assert.Equal([("a", 1L), ("b", 1L)], pairs);
    }

    [Fact]
    public void A_connection_kept_by_a_thread_that_reads_no_more_is_closed_by_a_later_read_after_the_idle_limit()
    {
        var clock = new ManualTime(DateTimeOffset.UnixEpoch);
        using var store = PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString), PostgresStore.DefaultLenses, clock);
        store.Write([new AssertOperation(A("paris", "capital_of", "france"))]);
        var reader = new Thread(() => Assert.Single(store.LookupView("consensus", Key("paris", "capital_of"))));
        reader.Start();
        reader.Join();
        Assert.Single(store.LookupView("consensus", Key("paris", "capital_of")));
        Assert.Equal(2, store.KeptReadConnections);

        clock.Advance(PgReadConnections.IdleLimit + TimeSpan.FromSeconds(1));
        Assert.Single(store.LookupView("consensus", Key("paris", "capital_of")));

        Assert.Equal(1, store.KeptReadConnections); // this thread's, just used; the finished thread's is closed
    }
}

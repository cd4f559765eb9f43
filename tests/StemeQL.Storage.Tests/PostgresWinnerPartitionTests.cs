using Npgsql;
using StemeQL.Core.Lenses;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// <c>mv_winner</c> partitioned by lens (PostgreSQL schema version 4): a partition per lens, made when a writable store first
/// opens with the lens, and a view lookup planned (generic plan) as one index seek of its lens's partition.
/// </summary>
public sealed class PostgresWinnerPartitionTests : IDisposable
{
    private readonly PostgresBackend.TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    private static readonly (string Subject, string Predicate)[] Sets = [("paris", "capital_of"), ("rome", "capital_of"), ("paris", "population")];

    private PostgresStore Open(IReadOnlyList<ILens> lenses) =>
        PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString), lenses, TimeProvider.System);

    private static void WriteSets(IEpistemeStore store)
    {
        var france = store.Assert(A("paris", "capital_of", "france"));
        store.Assert(A("paris", "capital_of", "spain", agent: "bob"));
        store.Vote(france.Hash, "carol");
        store.Assert(A("rome", "capital_of", "italy", confidence: 0.5));
        store.Assert(A("rome", "capital_of", "vatican", agent: "dave", confidence: 0.9));
        store.Assert(A("paris", "population", "2.1 million"));
    }

    private object? Partitions() => _schema.Scalar("""
        SELECT string_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid), '; ' ORDER BY c.relname)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'mv_winner'::regclass
        """);

    [Fact]
    public void A_new_store_has_a_partition_per_lens_and_no_default_partition()
    {
        using var store = PostgresStore.Open(_schema.ConnectionString);

        Assert.Equal("mv_winner_consensus FOR VALUES IN ('consensus'); mv_winner_recency FOR VALUES IN ('recency')", Partitions());
        Assert.Equal("p", _schema.Scalar("SELECT relkind::text FROM pg_class WHERE oid = 'mv_winner'::regclass"));
        // The lens last: a write's search by set (without the lens) seeks the key instead of reading the whole partition's index.
        Assert.EndsWith("USING btree (subject_key, predicate_key, lens)",
            (string)_schema.Scalar("SELECT pg_get_indexdef('mv_winner_consensus_pkey'::regclass)")!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lens_first_materialized_on_a_store_with_history_gets_its_partition_and_keeps_it_when_dropped()
    {
        using (var store = Open(StoreBackend.DefaultLenses)) WriteSets(store);

        using (var store = Open([.. StoreBackend.DefaultLenses, EarliestLens.Instance]))
        {
            Assert.Contains("mv_winner_earliest FOR VALUES IN ('earliest')", (string)Partitions()!);
            Assert.Equal(3L, _schema.Scalar("SELECT count(*) FROM mv_winner_earliest"));
            ReferenceLens.AssertViewsMatch(store, Sets, "after the lens was added");
            Assert.Equal("france", store.View("earliest", "paris", "capital_of").Winner.Assertion.Object.AsText);
        }

        // No longer materialized: its rows go, its partition stays (another process may still write the lens).
        using (Open(StoreBackend.DefaultLenses))
        {
            Assert.Contains("mv_winner_earliest", (string)Partitions()!);
            Assert.Equal(0L, _schema.Scalar("SELECT count(*) FROM mv_winner_earliest"));
        }

        using var again = Open([.. StoreBackend.DefaultLenses, EarliestLens.Instance]);
        ReferenceLens.AssertViewsMatch(again, Sets, "after the lens returned");
    }

    [Fact]
    public async Task Stores_opening_with_a_new_lens_at_once_make_its_partition_once_and_both_write_it()
    {
        using (var store = Open(StoreBackend.DefaultLenses)) WriteSets(store);
        IReadOnlyList<ILens> lenses = [.. StoreBackend.DefaultLenses, EarliestLens.Instance];

        var stores = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Open(lenses))));
        try
        {
            stores[0].Assert(A("madrid", "capital_of", "spain"));
            stores[1].Assert(A("madrid", "capital_of", "castile", agent: "bob"));
            Assert.Equal(1L, _schema.Scalar("SELECT count(*) FROM pg_class WHERE relname = 'mv_winner_earliest' AND relnamespace = current_schema()::regnamespace"));
            ReferenceLens.AssertViewsMatch(stores[2], [.. Sets, ("madrid", "capital_of")], "after writes from two stores");
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

    [Fact]
    public void A_lens_whose_name_is_no_plain_identifier_gets_a_partition_of_a_digested_name()
    {
        var odd = new RenamedLens("O'Neil pkey", EarliestLens.Instance);
        using var store = Open([.. StoreBackend.DefaultLenses, odd]);
        WriteSets(store);

        Assert.Contains($"{PgWinnerPartitions.Name(odd.Name)} FOR VALUES IN ('O''Neil pkey')", (string)Partitions()!);
        Assert.StartsWith("mv_winner__", PgWinnerPartitions.Name(odd.Name), StringComparison.Ordinal);
        Assert.Equal("france", store.View(odd.Name, "paris", "capital_of").Winner.Assertion.Object.AsText);
        Assert.Equal(3, store.LookupView(odd.Name, KeyFilter.All).Count());
    }

    [Theory]
    [InlineData("consensus", "mv_winner_consensus")]
    [InlineData("epoch_aware", "mv_winner_epoch_aware")]
    [InlineData("pkey", null)]
    [InlineData("consensus_pkey", null)]
    [InlineData("Consensus", null)]
    [InlineData("9lives", null)]
    [InlineData("a lens", null)]
    public void A_partition_is_named_by_its_lens_when_the_name_cannot_meet_another_table_or_index(string lens, string? plain)
    {
        string name = PgWinnerPartitions.Name(lens);
        if (plain is not null) Assert.Equal(plain, name);
        else Assert.Matches("^mv_winner__[0-9a-f]{16}$", name);
    }

    [Fact]
    public void The_lookup_of_one_set_is_planned_as_one_index_seek_of_its_lens_s_partition()
    {
        using (var store = PostgresStore.Open(_schema.ConnectionString)) WriteSets(store);
        string sql = PgReadSql.For(PgReadShape.For(StoreRelation.View, false,
            new KeyFilter(["paris"], ["capital_of"]) { Fields = AssertionFields.Object }, long.MaxValue, LensNames.Consensus));

        using var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE lookup(bytea, bytea) AS {sql}", connection);
        command.ExecuteNonQuery();
        command.CommandText = "EXPLAIN (COSTS OFF) EXECUTE lookup('\\x7061726973', '\\x6361706974616c5f6f66')";
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) plan.Add(reader.GetString(0));

        // Pruned when planned (no Append, no "Subplans Removed" at run time): the literal lens names one partition.
        Assert.StartsWith("Index Scan using mv_winner_consensus_pkey on mv_winner_consensus", plan[0], StringComparison.Ordinal);
        Assert.DoesNotContain(plan, line => line.Contains("recency", StringComparison.Ordinal) || line.Contains("Append", StringComparison.Ordinal));
    }

    // A lens under another name: the store keys its rows and partition by the name alone.
    private sealed class RenamedLens(string name, ILens lens) : ILens
    {
        public string Name => name;

        public ILensFold? Fold => lens.Fold;

        public LensResolution Resolve(IReadOnlyList<LensCandidate> candidates) => lens.Resolve(candidates);
    }
}

using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests;

/// <summary>
/// Differential tests of the keyed reads: on a random history, every read by random access keys
/// (hash, subject, predicate, agent, object, LSN range, order, limit) returns exactly the rows a full
/// scan filtered in C# returns, and Count agrees. Most keys are drawn from values that exist, and each
/// test fails if too few of its reads return rows, so "nothing matched" cannot pass for agreement.
/// </summary>
public abstract class AccessKeyTests
{
    private const int Reads = 250;

    private readonly RandomLedger _ledger;

    private protected AccessKeyTests(Ledger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _ledger = ledger.Data;
    }

    /// <summary>One random history shared by the tests of a class (they only read), on one backend.</summary>
    public abstract class Ledger(StoreBackend backend) : IDisposable
    {
        internal RandomLedger Data { get; } = new(backend, seed: 8);

        public void Dispose() => Data.Dispose();
    }

    /// <summary>The history in an embedded store.</summary>
    public sealed class EmbeddedLedger() : Ledger(StoreBackend.Embedded);

    /// <summary>The history in a PostgreSQL store.</summary>
    public sealed class PostgresLedger() : Ledger(StoreBackend.Postgres);

    private IEpistemeStore Store => _ledger.Store;

    [Fact]
    public void ScanAssertions_returns_what_a_filtered_full_scan_returns()
    {
        Assert.Equal(_ledger.Assertions.Select(a => a.Lsn), Store.ScanAssertions(KeyFilter.All).Select(a => a.Lsn));
        var random = new Random(1);
        int nonEmpty = 0;
        for (int i = 0; i < Reads; i++)
        {
            var keys = RandomKeys(random);
            var expected = RandomLedger.Page(_ledger.Assertions.Where(a => RandomLedger.Matches(keys, a.Assertion) && RandomLedger.InRange(keys, a.Lsn)), keys);
            var actual = Store.ScanAssertions(keys).ToList();
            Assert.True(expected.Select(a => a.Lsn).SequenceEqual(actual.Select(a => a.Lsn)), Describe(keys));
            Assert.Equal(expected.Select(a => a.Assertion.Hash), actual.Select(a => a.Assertion.Hash));
            long all = _ledger.Assertions.Count(a => RandomLedger.Matches(keys, a.Assertion) && RandomLedger.InRange(keys, a.Lsn));
            Assert.True(all == Store.Count(StoreRelation.Assertions, keys), Describe(keys));
            if (actual.Count > 0) nonEmpty++;
        }
        Assert.True(nonEmpty > Reads / 4, $"only {nonEmpty} of {Reads} reads returned rows");
    }

    [Fact]
    public void ScanVotesOn_returns_what_a_filtered_full_scan_returns()
    {
        Assert.Equal(_ledger.Votes.Select(v => v.Lsn), Store.ScanVotes(null).Select(v => v.Lsn));
        var random = new Random(2);
        int nonEmpty = 0;
        for (int i = 0; i < Reads; i++)
        {
            var keys = RandomKeys(random);
            // For votes the hashes name the voted assertion and the agents the voters.
            var matching = _ledger.Votes.Where(v => (keys.Hashes is null || keys.Hashes.Contains(v.Assertion))
                && (keys.Agents is null || keys.Agents.Contains(v.Agent))
                && RandomLedger.Matches(keys, _ledger.ByHash[v.Assertion], checkHash: false, checkAgent: false)
                && RandomLedger.InRange(keys, v.Lsn)).ToList();
            var expected = RandomLedger.Page(matching, keys);
            var actual = Store.ScanVotesOn(keys).ToList();
            Assert.True(expected.Select(v => v.Lsn).SequenceEqual(actual.Select(v => v.Lsn)), Describe(keys));
            Assert.Equal(expected.Select(v => (v.Assertion, v.Agent, v.Weight)), actual.Select(v => (v.Assertion, v.Agent, v.Weight)));
            Assert.True(matching.Count == Store.Count(StoreRelation.Votes, keys), Describe(keys));
            if (actual.Count > 0) nonEmpty++;
        }
        Assert.True(nonEmpty > Reads / 4, $"only {nonEmpty} of {Reads} reads returned rows");
    }

    [Theory]
    [InlineData(LensNames.Consensus)]
    [InlineData(LensNames.Recency)]
    public void LookupView_returns_what_the_filtered_whole_view_returns(string lens)
    {
        var whole = Store.LookupView(lens, KeyFilter.All).ToList();
        Assert.Equal(_ledger.Assertions.Select(a => (a.Assertion.Subject, a.Assertion.Predicate)).Distinct().Count(), whole.Count);
        var random = new Random(3);
        int nonEmpty = 0, reverse = 0;
        for (int i = 0; i < Reads; i++)
        {
            var keys = RandomKeys(random);
            var matching = whole.Where(r => RandomLedger.Matches(keys, r.Winner.Assertion) && RandomLedger.InRange(keys, r.Winner.Lsn)).ToList();
            var expected = RandomLedger.Page(matching, keys);
            var actual = Store.LookupView(lens, keys).ToList();
            Assert.True(expected.SequenceEqual(actual, ViewRowComparer.Instance), Describe(keys));
            Assert.True(matching.Count == Store.Count(StoreRelation.View, keys, lens), Describe(keys));
            if (actual.Count > 0) nonEmpty++;
            if (actual.Count > 0 && keys.Objects is not null && keys.Predicates is not null) reverse++;
        }
        Assert.True(nonEmpty > Reads / 4, $"only {nonEmpty} of {Reads} reads returned rows");
        Assert.True(reverse > 5, $"only {reverse} reverse lookups (predicate + object) returned rows");
    }

    [Fact]
    public void ScanAssertions_in_an_order_of_keys_returns_the_matching_rows_stably_sorted_from_lsn_order()
    {
        var random = new Random(6);
        int nonEmpty = 0;
        for (int i = 0; i < Reads; i++)
        {
            var keys = RandomKeys(random) with { Descending = false, OrderBy = RandomOrder(random) };
            // A stable sort of the rows in LSN order: ties stay in LSN order, as the sort stage would leave them.
            var matching = _ledger.Assertions.Where(a => RandomLedger.Matches(keys, a.Assertion) && RandomLedger.InRange(keys, a.Lsn));
            var expected = Sorted(matching, keys.OrderBy!, a => a.Assertion.Subject, a => a.Assertion.Predicate, a => a.Lsn).Take((int)(keys.Limit ?? int.MaxValue));
            var actual = Store.ScanAssertions(keys).ToList();
            Assert.True(expected.Select(a => a.Lsn).SequenceEqual(actual.Select(a => a.Lsn)), $"{Describe(keys)} order {Describe(keys.OrderBy!)}");
            if (actual.Count > 1) nonEmpty++;
        }
        Assert.True(nonEmpty > Reads / 4, $"only {nonEmpty} of {Reads} ordered reads returned more than one row");
    }

    [Theory]
    [InlineData(LensNames.Consensus)]
    [InlineData(LensNames.Recency)]
    public void LookupView_in_an_order_of_keys_returns_the_matching_rows_stably_sorted_from_key_order(string lens)
    {
        var whole = Store.LookupView(lens, KeyFilter.All).ToList();
        var random = new Random(7);
        int nonEmpty = 0;
        for (int i = 0; i < Reads; i++)
        {
            var keys = RandomKeys(random) with { Descending = false, OrderBy = RandomOrder(random) };
            var matching = whole.Where(r => RandomLedger.Matches(keys, r.Winner.Assertion) && RandomLedger.InRange(keys, r.Winner.Lsn));
            var expected = Sorted(matching, keys.OrderBy!, r => r.Winner.Assertion.Subject, r => r.Winner.Assertion.Predicate, r => r.Winner.Lsn)
                .Take((int)(keys.Limit ?? int.MaxValue));
            var actual = Store.LookupView(lens, keys).ToList();
            Assert.True(expected.SequenceEqual(actual, ViewRowComparer.Instance), $"{Describe(keys)} order {Describe(keys.OrderBy!)}");
            if (actual.Count > 1) nonEmpty++;
        }
        Assert.True(nonEmpty > Reads / 4, $"only {nonEmpty} of {Reads} ordered reads returned more than one row");
    }

    [Fact]
    public void A_read_of_votes_refuses_an_order_of_keys() =>
        Assert.Throws<ArgumentException>(() => Store.ScanVotesOn(KeyFilter.All with { OrderBy = [new OrderKey(OrderColumn.Subject, false)] }).ToList());

    // One to three distinct keys in random directions; a view's LSN (its winner's) too, though no index holds it.
    private static List<OrderKey> RandomOrder(Random random)
    {
        var columns = new List<OrderColumn> { OrderColumn.Subject, OrderColumn.Predicate, OrderColumn.Lsn }.OrderBy(_ => random.Next()).ToList();
        // Mostly the index's own leading column first.
        if (random.Next(2) == 0) columns = [OrderColumn.Subject, .. columns.Where(c => c != OrderColumn.Subject)];
        return [.. columns.Take(random.Next(1, 4)).Select(c => new OrderKey(c, random.Next(2) == 0))];
    }

    // The rows (in their natural order) stably sorted by the keys; the test ledger's text is ASCII, where UTF-16 and UTF-8 agree.
    private static List<T> Sorted<T>(IEnumerable<T> rows, IReadOnlyList<OrderKey> order, Func<T, string> subject, Func<T, string> predicate, Func<T, long> lsn)
    {
        IOrderedEnumerable<T>? sorted = null;
        foreach (var key in order)
        {
            Func<T, object> by = key.Column switch { OrderColumn.Subject => r => subject(r), OrderColumn.Predicate => r => predicate(r), _ => r => lsn(r) };
            var comparer = Comparer<object>.Create((a, b) => a is string x ? string.CompareOrdinal(x, (string)b) : ((long)a).CompareTo((long)b));
            sorted = sorted is null
                ? key.Descending ? rows.OrderByDescending(by, comparer) : rows.OrderBy(by, comparer)
                : key.Descending ? sorted.ThenByDescending(by, comparer) : sorted.ThenBy(by, comparer);
        }
        return [.. sorted ?? rows];
    }

    private static string Describe(IReadOnlyList<OrderKey> order) => string.Join(", ", order.Select(k => $"{k.Column}{(k.Descending ? " DESC" : "")}"));

    [Theory]
    [InlineData(AssertionFields.None)]
    [InlineData(AssertionFields.Subject | AssertionFields.Agent)]
    [InlineData(AssertionFields.Hash | AssertionFields.Predicate | AssertionFields.Epoch)]
    [InlineData(AssertionFields.Lineage | AssertionFields.AssertedAt)]
    public void A_read_of_some_fields_returns_those_as_a_whole_read_does_and_leaves_the_others_empty(AssertionFields fields)
    {
        var random = new Random(3);
        int compared = 0;
        for (int i = 0; i < Reads / 5; i++)
        {
            var keys = RandomKeys(random);
            var whole = Store.ScanAssertions(keys).ToList();
            var some = Store.ScanAssertions(keys with { Fields = fields }).ToList();
            var views = Store.LookupView(LensNames.Consensus, keys with { MinLsn = Lsn.None, MaxLsn = long.MaxValue }).ToList();
            var someViews = Store.LookupView(LensNames.Consensus, keys with { MinLsn = Lsn.None, MaxLsn = long.MaxValue, Fields = fields }).ToList();
            Assert.Equal(whole.Count, some.Count);
            Assert.Equal(views.Count, someViews.Count);
            foreach (var (full, part) in whole.Zip(some).Concat(views.Zip(someViews).Select(p => (p.First.Winner, p.Second.Winner))))
            {
                Assert.Equal(full.Lsn, part.Lsn);
                Assert.Equal(full.Assertion.Object, part.Assertion.Object);
                Assert.Equal(full.Assertion.Confidence, part.Assertion.Confidence);
                Assert.Equal(Has(AssertionFields.Hash) ? full.Assertion.Hash : default, part.Assertion.Hash);
                Assert.Equal(Has(AssertionFields.Subject) ? full.Assertion.Subject : "", part.Assertion.Subject);
                Assert.Equal(Has(AssertionFields.Predicate) ? full.Assertion.Predicate : "", part.Assertion.Predicate);
                Assert.Equal(Has(AssertionFields.Epoch) ? full.Assertion.Epoch : "", part.Assertion.Epoch);
                Assert.Equal(Has(AssertionFields.Agent) ? full.Assertion.Agent : "", part.Assertion.Agent);
                Assert.Equal(Has(AssertionFields.Lineage) ? full.Assertion.Lineage : [], part.Assertion.Lineage);
                Assert.Equal(Has(AssertionFields.AssertedAt) ? full.AssertedAt : default, part.AssertedAt);
                compared++;
            }
        }
        Assert.True(compared > Reads / 5, $"only {compared} rows compared");

        bool Has(AssertionFields field) => (fields & field) != 0;
    }

    [Fact]
    public void Key_sets_larger_than_the_parameter_limit_read_through_tables_and_agree_with_the_full_scan()
    {
        var random = new Random(4);
        var hashes = _ledger.Assertions.Where((_, i) => i % 3 == 0).Select(a => a.Assertion.Hash)
            .Concat(Enumerable.Range(0, 600).Select(i => new Assertion("x", "y", StemeValue.Integer(i), "", "z").Hash)).ToList();
        var subjects = RandomLedger.Subjects.Take(7).Concat(Enumerable.Range(0, 600).Select(i => "missing" + i)).ToList();
        var agents = RandomLedger.Agents.Take(3).Concat(Enumerable.Range(0, 600).Select(i => "nobody" + i)).ToList();
        var objects = RandomLedger.Values.Take(5).Concat(Enumerable.Range(100, 600).Select(i => StemeValue.Integer(i))).ToList();
        foreach (var keys in new[]
        {
            KeyFilter.ForHashes(hashes), new KeyFilter(subjects, null), KeyFilter.ForAgents(agents), KeyFilter.All with { Objects = objects },
            new KeyFilter(subjects, RandomLedger.Predicates.Take(2).ToList()) with { Agents = agents, Objects = objects, Descending = true, Limit = 20 },
        })
        {
            var expected = RandomLedger.Page(_ledger.Assertions.Where(a => RandomLedger.Matches(keys, a.Assertion)), keys).Select(a => a.Lsn).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Store.ScanAssertions(keys).Select(a => a.Lsn));
            Assert.Equal(_ledger.Assertions.Count(a => RandomLedger.Matches(keys, a.Assertion)), Store.Count(StoreRelation.Assertions, keys));
            var view = Store.LookupView(LensNames.Consensus, KeyFilter.All).ToList();
            Assert.Equal(RandomLedger.Page(view.Where(r => RandomLedger.Matches(keys, r.Winner.Assertion)), keys).Select(r => r.Winner.Lsn),
                Store.LookupView(LensNames.Consensus, keys).Select(r => r.Winner.Lsn));
        }
        // The key tables are emptied after each read: a small read afterwards sees only its own keys.
        var one = _ledger.Assertions[random.Next(_ledger.Assertions.Count)];
        Assert.Equal([one.Lsn], Store.ScanAssertions(KeyFilter.ForHashes([one.Assertion.Hash])).Select(a => a.Lsn));
    }

    [Theory]
    [InlineData(StoreRelation.Assertions, GroupColumn.Subject, null)]
    [InlineData(StoreRelation.Assertions, GroupColumn.Predicate, null)]
    [InlineData(StoreRelation.Assertions, GroupColumn.Agent, null)]
    [InlineData(StoreRelation.Votes, GroupColumn.Agent, null)]
    [InlineData(StoreRelation.View, GroupColumn.Subject, LensNames.Consensus)]
    [InlineData(StoreRelation.View, GroupColumn.Predicate, LensNames.Recency)]
    [InlineData(StoreRelation.View, GroupColumn.Agent, LensNames.Consensus)]
    public void CountBy_counts_in_the_store_what_grouping_the_matching_rows_counts(StoreRelation relation, GroupColumn column, string? lens)
    {
        var random = new Random(5 + (int)column);
        int grouped = 0;
        for (int i = 0; i < Reads; i++)
        {
            var keys = i == 0 ? KeyFilter.All : RandomKeys(random);
            var expected = GroupedCounts.ByScanning(Store, relation, keys, column, lens).OrderBy(g => g.Key, StringComparer.Ordinal);
            var actual = Store.CountBy(relation, keys, column, lens).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"{relation} by {column}: {Describe(keys)}");
            Assert.Equal(Store.Count(relation, keys with { Limit = null }, lens), actual.Sum(g => g.Count));
            if (actual.Count > 1) grouped++;
        }
        Assert.True(grouped > Reads / 10, $"only {grouped} of {Reads} counts had more than one group");
    }

    [Fact]
    public void CountBy_refuses_to_count_votes_by_a_column_votes_do_not_have()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.CountBy(StoreRelation.Votes, KeyFilter.All, GroupColumn.Subject));
    }

    /// <summary>Random keys, mostly values that exist, sometimes one that doesn't, sometimes an LSN range, order or limit.</summary>
    private KeyFilter RandomKeys(Random random)
    {
        long last = _ledger.Votes[^1].Lsn;
        var keys = new KeyFilter(Maybe(random, RandomLedger.Subjects, "nowhere"), Maybe(random, RandomLedger.Predicates, "nothing"))
        {
            Hashes = random.Next(6) == 0 ? Some(random, _ledger.Assertions.Select(a => a.Assertion.Hash).ToArray(), 12) : null,
            Agents = Maybe(random, RandomLedger.Agents, "nobody"),
            Objects = random.Next(4) == 0 ? Some(random, RandomLedger.Values, 3) : null,
            Descending = random.Next(3) == 0,
            Limit = random.Next(4) == 0 ? random.Next(0, 6) : null,
        };
        if (random.Next(4) == 0) keys = keys with { MinLsn = random.Next(1, (int)last) };
        if (random.Next(4) == 0) keys = keys with { MaxLsn = random.Next(1, (int)last + 5) };
        return keys;
    }

    private static List<string>? Maybe(Random random, string[] values, string missing)
    {
        if (random.Next(3) != 0) return null;
        var set = Some(random, values, 3);
        if (random.Next(5) == 0) set.Add(missing);
        return set;
    }

    private static List<T> Some<T>(Random random, T[] values, int most) =>
        Enumerable.Range(0, random.Next(1, most + 1)).Select(_ => values[random.Next(values.Length)]).ToList();

    private static string Describe(KeyFilter keys) =>
        $"subjects [{Join(keys.Subjects)}] predicates [{Join(keys.Predicates)}] agents [{Join(keys.Agents)}] objects [{Join(keys.Objects)}] " +
        $"hashes {keys.Hashes?.Count.ToString() ?? "any"} lsn {keys.MinLsn}..{keys.MaxLsn} desc {keys.Descending} limit {keys.Limit}";

    private static string Join<T>(IEnumerable<T>? values) => values is null ? "any" : string.Join(", ", values);
}

/// <summary>The access-key suite on the embedded store.</summary>
public sealed class EmbeddedAccessKeyTests(AccessKeyTests.EmbeddedLedger ledger) : AccessKeyTests(ledger), IClassFixture<AccessKeyTests.EmbeddedLedger>;

/// <summary>The access-key suite on PostgreSQL.</summary>
public sealed class PostgresAccessKeyTests(AccessKeyTests.PostgresLedger ledger) : AccessKeyTests(ledger), IClassFixture<AccessKeyTests.PostgresLedger>;

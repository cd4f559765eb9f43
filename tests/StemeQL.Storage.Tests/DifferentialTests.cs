using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Core.Lenses;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The incrementally maintained views must equal the O(N) Core lenses on random histories of
/// assertions, re-assertions, votes, vote replacements, batches and failed writes.
/// </summary>
public abstract class DifferentialTests(StoreBackend backend)
{
    protected const int Events = 300;
    private const int CheckEvery = 60;

    private static readonly string[] Subjects = ["s0", "s1", "s2"];
    private static readonly string[] Predicates = ["p0", "p1"];
    private static readonly string[] Agents = ["alice", "bob", "carol", "dave", "erin"];
    private static readonly StemeValue[] Values =
    [
        StemeValue.Text("a"), StemeValue.Text("b"), StemeValue.Text("1"), StemeValue.Integer(1),
        StemeValue.Real(1.0), StemeValue.Boolean(true), StemeValue.Integer(2), StemeValue.Bytes([1]),
    ];

    private static readonly double[] Weights = [0, 0.1, 0.25, 0.3, 0.5, 0.5, 1.0, 1.0, 1.0 / 3];

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 30));

    protected static readonly List<(string, string)> Sets = [.. Subjects.SelectMany(s => Predicates.Select(p => (s, p)))];

    /// <summary>The store's lenses plus <see cref="EarliestLens"/>, which only the tests define.</summary>
    protected static readonly IReadOnlyList<ILens> WithTestLens = [.. StoreBackend.DefaultLenses, EarliestLens.Instance];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Views_equal_the_reference_lenses_on_random_histories(int seed)
    {
        using var test = backend.Create();
        WriteRandomHistory(test.Store, seed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_lens_defined_only_in_Core_is_materialized_equal_to_its_resolution(int seed)
    {
        using var test = backend.Create(WithTestLens);
        Assert.Contains(EarliestLens.Instance.Name, test.Store.MaterializedLenses);
        WriteRandomHistory(test.Store, seed);
        Assert.Equal(Sets.Count(k => test.Store.CountAssertions(new KeyFilter([k.Item1], [k.Item2])) > 0),
            test.Store.LookupView(EarliestLens.Instance.Name, KeyFilter.All).Count());
    }

    [Fact]
    public void A_lens_first_materialized_on_a_store_with_history_is_built_from_its_views()
    {
        using var test = backend.Create();
        WriteRandomHistory(test.Store, seed: 7);
        Assert.DoesNotContain(EarliestLens.Instance.Name, test.Store.MaterializedLenses);
        test.Reopen(WithTestLens);
        ReferenceLens.AssertViewsMatch(test.Store, Sets, "after adding the lens");
        Assert.NotEmpty(test.Store.LookupView(EarliestLens.Instance.Name, KeyFilter.All));
    }

    [Fact]
    public void A_lens_no_longer_materialized_is_dropped_and_built_again_when_it_returns()
    {
        using var test = backend.Create(WithTestLens);
        WriteRandomHistory(test.Store, seed: 8);
        test.Reopen();
        var error = Assert.Throws<StemeException>(() => test.Store.LookupView(EarliestLens.Instance.Name, KeyFilter.All).ToList());
        Assert.Equal(StemeErrorCode.UnknownLens, error.ErrorCode);
        // Writes made while it was not materialized are in its states once it returns.
        var late = test.Store.Assert(Writes.A("late", "p0", "x", "zed")).Hash;
        test.Reopen(WithTestLens);
        ReferenceLens.AssertViewsMatch(test.Store, [.. Sets, ("late", "p0")], "after the lens returned");
        Assert.Equal(late, test.Store.View(EarliestLens.Instance.Name, "late", "p0").Winner.Assertion.Hash);
    }

    [Fact]
    public void Views_folded_from_bulk_sized_writes_equal_the_reference_lenses()
    {
        // Writes of a bulk loader's size: new sets, then rivals and first votes in stored sets, then replaced votes
        // (the PostgreSQL store appends new view rows with COPY from 1,000 rows and upserts stored ones).
        using var test = backend.Create();
        var random = new Random(21);
        var sets = Enumerable.Range(0, 1_100).Select(i => ("bulk" + i, "p0")).ToList();
        var first = sets.Select(k => new Assertion(k.Item1, k.Item2, StemeValue.Integer(random.Next(3)), "", Pick(random, Agents), null, Pick(random, Weights))).ToList();
        test.Store.WriteVisible([.. first.Select(a => new AssertOperation(a))]);
        var rivals = sets.Select(k => new Assertion(k.Item1, k.Item2, StemeValue.Text("rival"), "", "erin", null, Pick(random, Weights))).ToList();
        test.Store.WriteVisible([.. rivals.Select(a => (WriteOperation)new AssertOperation(a)),
            .. first.Select(a => new VoteOperation(new Vote(a.Hash, "bob", Pick(random, Weights))))]);
        test.Store.WriteVisible([.. first.Concat(rivals).Select(a => new VoteOperation(new Vote(a.Hash, "bob", Pick(random, Weights))))]);

        ReferenceLens.AssertViewsMatch(test.Store, sets, "after three bulk-sized writes");
        Assert.Equal(sets.Count, test.Store.LookupView("consensus", KeyFilter.All).Count());
        // The check folds the whole ledger again, through the store's general path, and compares every view table.
        Assert.Empty(test.Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    private static void WriteRandomHistory(IEpistemeStore store, int seed)
    {
        var random = new Random(seed);
        var sets = Sets;
        var known = new List<Assertion>();
        var expectedLsns = new List<long>();

        for (int step = 0; step < Events; step++)
        {
            var batch = new List<WriteOperation>();
            int size = random.Next(10) == 0 ? random.Next(2, 5) : 1;
            var pending = new List<Assertion>();
            for (int i = 0; i < size; i++) batch.Add(NextOperation(random, known, pending));
            bool fail = random.Next(25) == 0;
            if (fail) batch.Insert(random.Next(batch.Count + 1), new VoteOperation(new Vote(Unknown(random), Pick(random, Agents), 1.0)));

            long lastBefore = store.LastLsn;
            if (fail)
            {
                var error = Assert.Throws<StemeException>(() => store.WriteVisible(batch));
                Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
                Assert.Equal(lastBefore, store.LastLsn);
            }
            else
            {
                var outcomes = store.WriteVisible(batch);
                known.AddRange(pending);
                expectedLsns.AddRange(outcomes.Where(o => o is VoteOutcome or AssertOutcome { Created: true }).Select(o => o.Lsn));
            }
            if (step % CheckEvery == CheckEvery - 1) ReferenceLens.AssertViewsMatch(store, sets, $"seed {seed}, step {step}");
        }

        ReferenceLens.AssertViewsMatch(store, sets, $"seed {seed}, end");
        var ledger = store.ScanAssertions(KeyFilter.All).Select(a => a.Lsn)
            .Concat(store.ScanVotes(null).Select(v => v.Lsn)).Order().ToList();
        Assert.Equal(expectedLsns.Order(), ledger);
        Assert.Equal(Enumerable.Range(1, ledger.Count).Select(i => (long)i), ledger);
        Assert.Equal(store.LookupView("consensus", KeyFilter.All).Count(), sets.Count(k => store.CountAssertions(new KeyFilter([k.Item1], [k.Item2])) > 0));
        Assert.Equal(store.ScanAssertions(KeyFilter.All).Count(), store.CountAssertions(KeyFilter.All));
    }

    protected static WriteOperation NextOperation(Random random, List<Assertion> known, List<Assertion> pending)
    {
        int roll = random.Next(100);
        var available = known.Concat(pending).ToList();
        if (available.Count == 0 || roll < 35)
        {
            // A fresh claim; with few subjects, values and agents many are repeats of stored ones.
            var assertion = new Assertion(Pick(random, Subjects), Pick(random, Predicates), Pick(random, Values), "",
                Pick(random, Agents), null, Pick(random, Weights));
            pending.Add(assertion);
            return new AssertOperation(assertion);
        }
        if (roll < 45)
        {
            // An explicit re-assertion with another confidence: changes nothing.
            var again = Pick(random, available);
            return new AssertOperation(new Assertion(again.Subject, again.Predicate, again.Object, again.Epoch, again.Agent, again.Lineage, Pick(random, Weights)));
        }
        // Votes; with five agents many replace an earlier vote of the same agent.
        return new VoteOperation(new Vote(Pick(random, available).Hash, Pick(random, Agents), Pick(random, Weights)));
    }

    private static ContentHash Unknown(Random random) =>
        new Assertion("unknown", "p", StemeValue.Integer(random.NextInt64()), "", "nobody").Hash;

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}

/// <summary>The differential suite on the embedded store, and what only it can do: fold a journal backlog in one batch.</summary>
public sealed class EmbeddedDifferentialTests() : DifferentialTests(StoreBackend.Embedded)
{
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Views_folded_from_one_large_batch_equal_the_reference_lenses(int seed)
    {
        // With the ingestor paused, every write waits in the journal; the reopen folds them in one batch,
        // so votes replace earlier votes, and winners rise and fall, inside a single fold.
        using var test = new TestStore(EmbeddedStoreOptions.Default with { Lenses = WithTestLens, IngestorPaused = true });
        var random = new Random(seed);
        var known = new List<Assertion>();
        for (int step = 0; step < Events; step++)
        {
            var pending = new List<Assertion>();
            test.Store.Write([NextOperation(random, known, pending)]);
            known.AddRange(pending);
        }
        test.Reopen(test.Options with { IngestorPaused = false });
        ReferenceLens.AssertViewsMatch(test.Store, Sets, $"seed {seed}, one batch");
    }
}

/// <summary>The differential suite on PostgreSQL.</summary>
public sealed class PostgresDifferentialTests() : DifferentialTests(StoreBackend.Postgres);

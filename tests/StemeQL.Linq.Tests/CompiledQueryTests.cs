using System.Linq.Expressions;
using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>Compiled queries (StemeQuery.Compile / CompileAsync) read the same rows as the same LINQ query written inline.</summary>
[Collection("linq")]
public sealed class CompiledQueryTests(Databases databases)
{
    private static readonly Func<StemeConnection, string, string, IEnumerable<AssertionRow>> BySubjectAndPredicate =
        StemeQuery.Compile((StemeConnection db, string subject, string predicate) =>
            db.Assertions().Where(a => a.Subject == subject && a.Predicate == predicate).OrderBy(a => a.Lsn));

    private static readonly Func<StemeConnection, string, object?> ConsensusValue =
        StemeQuery.Compile((StemeConnection db, string subject) =>
            db.Assertions().UsingLens(Lens.Consensus).Where(a => a.Subject == subject).OrderBy(a => a.Predicate).Select(a => a.Object).FirstOrDefault());

    private static IEnumerable<(string Subject, string Predicate)> Keys(LinqDatabase db) =>
        db.Ledger.Select(a => (a.Subject, a.Predicate)).Distinct().Append(("nobody", "p0"));

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void A_compiled_sequence_query_agrees_with_linq_to_objects_for_every_key(int seed)
    {
        var db = databases.For(seed);
        int rows = 0;
        foreach (var (subject, predicate) in Keys(db))
        {
            var expected = db.Ledger.Where(a => a.Subject == subject && a.Predicate == predicate).OrderBy(a => a.Lsn).Select(Differential.Canon).ToList();
            rows += expected.Count;
            Assert.Equal(expected, BySubjectAndPredicate(db.Reader, subject, predicate).Select(Differential.Canon));
        }
        Assert.True(rows > 0, "The reference queries returned no rows.");
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void A_compiled_scalar_query_agrees_with_the_same_query_written_inline(int seed)
    {
        var db = databases.For(seed);
        var found = new List<object?>();
        foreach (var subject in db.Ledger.Select(a => a.Subject).Distinct().Append("nobody"))
        {
            var inline = db.Reader.Assertions().UsingLens(Lens.Consensus).Where(a => a.Subject == subject).OrderBy(a => a.Predicate).Select(a => a.Object).FirstOrDefault();
            var compiled = ConsensusValue(db.Reader, subject);
            Assert.Equal(Differential.Canon(inline), Differential.Canon(compiled));
            if (compiled is not null) found.Add(compiled);
        }
        Assert.NotEmpty(found);
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public async Task Compiled_async_queries_agree_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var sequence = StemeQuery.CompileAsync((StemeConnection c, string agent, long after) =>
            c.Assertions().Where(a => a.Agent == agent && a.Lsn > after).Select(a => new { a.Hash, a.Lsn }));
        var count = StemeQuery.CompileAsync((StemeConnection c, string agent) => c.Assertions().Count(a => a.Agent == agent));
        foreach (var agent in new[] { "alice", "bob", "carol" })
        {
            var expected = db.Ledger.Where(a => a.Agent == agent && a.Lsn > db.MiddleLsn).Select(a => Differential.Canon(new { a.Hash, a.Lsn })).Order().ToList();
            Assert.NotEmpty(expected);
            var actual = new List<string>();
            await foreach (var row in sequence(db.Reader, agent, db.MiddleLsn).WithCancellation(CancellationToken.None)) actual.Add(Differential.Canon(row));
            Assert.Equal(expected, actual.Order());
            Assert.Equal(db.Ledger.Count(a => a.Agent == agent), await count(db.Reader, agent, CancellationToken.None));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void A_compiled_query_computes_expressions_of_its_arguments_each_call(int seed)
    {
        var db = databases.For(seed);
        var query = StemeQuery.Compile((StemeConnection c, string prefix, int skip) =>
            c.Assertions().Where(a => a.Subject.StartsWith(prefix.ToLowerInvariant())).OrderBy(a => a.Lsn).Select(a => a.Lsn).Skip(skip + 1));
        foreach (var (prefix, skip) in new[] { ("S1", 0), ("s2", 1), ("S3", 0) })
        {
            var expected = db.Ledger.Where(a => a.Subject.StartsWith(prefix.ToLowerInvariant(), StringComparison.Ordinal)).OrderBy(a => a.Lsn).Select(a => a.Lsn).Skip(skip + 1).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, query(db.Reader, prefix, skip));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void A_null_argument_and_a_value_each_read_their_own_rows(int seed)
    {
        var db = databases.For(seed);
        var ledger = StemeQuery.Compile((StemeConnection c, double? confidence) => c.Assertions().Count(a => a.Confidence == confidence));
        var consensus = StemeQuery.Compile((StemeConnection c, double? confidence) =>
            c.Assertions().UsingLens(Lens.Consensus).Count(a => a.Confidence == confidence));
        double some = db.Consensus[0].Confidence!.Value;
        // Ledger rows have no confidence: null matches all of them, a value none; under the lens the other way round.
        Assert.Equal(db.Ledger.Count, ledger(db.Reader, null));
        Assert.Equal(db.Consensus.Count(a => a.Confidence == some), consensus(db.Reader, some));
        Assert.Equal(0, consensus(db.Reader, null));
        Assert.Equal(0, ledger(db.Reader, some));
        Assert.Equal(db.Ledger.Count, ledger(db.Reader, null));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void A_compiled_query_takes_its_as_of_lsn_as_an_argument(int seed)
    {
        var db = databases.For(seed);
        var asOf = StemeQuery.Compile((StemeConnection c, long lsn) => c.Assertions().AsOf(lsn).Select(a => a.Hash));
        foreach (long lsn in new[] { db.MiddleLsn, db.MiddleLsn + 7, db.Ledger.Max(a => a.Lsn) })
        {
            var expected = db.Reader.Assertions().AsOf(lsn).Select(a => a.Hash).ToList().Order().ToList();
            Assert.Equal(db.Ledger.Where(a => a.Lsn <= lsn).Select(a => a.Hash).Order(), expected);
            Assert.Equal(expected, asOf(db.Reader, lsn).Order());
        }
    }

    [Fact]
    public void Later_executions_reuse_the_first_translation()
    {
        var db = databases.For(1);
        var compiled = CompiledQuery.Create((Expression<Func<StemeConnection, string, IQueryable<string>>>)((c, subject) =>
            c.Assertions().Where(a => a.Subject == subject).Select(a => a.Hash)));
        var first = compiled.Bind(["s1"]);
        var second = compiled.Bind(["s2"]);
        Assert.Same(first.Template, second.Template);
        Assert.Equal("s2", Assert.Single(second.Parameters).Value);
        Assert.Equal(db.Ledger.Where(a => a.Subject == "s2").Select(a => a.Hash).Order(), QueryRunner.Enumerate<string>(() => second, db.Reader).Order());
    }

    [Fact]
    public void A_compiled_query_runs_on_whichever_connection_it_is_given()
    {
        using var first = new StemeConnection("Data Source=:memory:;Agent=alice");
        using var second = new StemeConnection("Data Source=:memory:;Agent=alice");
        first.Open();
        second.Open();
        first.Assert("paris", "capital_of", "france");
        var count = StemeQuery.Compile((StemeConnection c, string subject) => c.Assertions().Count(a => a.Subject == subject));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, count(first, "paris"));
            Assert.Equal(0, count(second, "paris"));
        }
    }

    [Fact]
    public void A_compiled_query_runs_in_the_connections_current_transaction()
    {
        using var db = new StemeConnection("Data Source=:memory:;Agent=alice");
        db.Open();
        var count = StemeQuery.Compile((StemeConnection c) => c.Assertions().Count());
        Assert.Equal(0, count(db));
        using (var transaction = db.BeginTransaction())
        {
            db.Assert("paris", "capital_of", "france");
            // A command outside the connection's transaction would throw; reads do not see pending writes.
            Assert.Equal(0, count(db));
            transaction.Commit();
        }
        Assert.Equal(1, count(db));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void A_compiled_sequence_can_run_again_while_it_is_being_read(int seed)
    {
        var db = databases.For(seed);
        var bySubject = StemeQuery.Compile((StemeConnection c, string subject) => c.Assertions().Where(a => a.Subject == subject).Select(a => a.Hash));
        var pairs = new List<(string, string)>();
        foreach (var hash in bySubject(db.Reader, "s1"))
        {
            foreach (var inner in bySubject(db.Reader, "s2")) pairs.Add((hash, inner));
        }
        int s1 = db.Ledger.Count(a => a.Subject == "s1"), s2 = db.Ledger.Count(a => a.Subject == "s2");
        Assert.True(s1 * s2 > 0);
        Assert.Equal(s1 * s2, pairs.Count);
    }

    [Fact]
    public void Using_the_connection_other_than_as_the_query_root_is_not_supported()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            StemeQuery.Compile((StemeConnection c, string subject) => c.Assertions().Where(a => a.Agent == c.Database).Count()));
        Assert.Contains("db.Assertions()", error.Message);
    }
}

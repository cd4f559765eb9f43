using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>
/// A LINQ query written inline finds its cached shape with a new captured value (no second translation), reads
/// that value however it was captured, and never shares a shape with a query that differs in a constant, a
/// member, a method, a lens or an operator: each such pair runs after the other and must read its own rows.
/// </summary>
[Collection("linq")]
public sealed class InlineQueryCacheTests(Databases databases)
{
    private static string s_staticSubject = "s1";

    private LinqDatabase Db => databases.For(2);

    private IQueryable<string> BySubject(string subject) => Db.Reader.Assertions().Where(a => a.Subject == subject).Select(a => a.Hash);

    private List<string> Hashes(Func<AssertionRow, bool> predicate, IEnumerable<AssertionRow>? rows = null)
    {
        var hashes = (rows ?? Db.Ledger).Where(predicate).Select(a => a.Hash).Order().ToList();
        Assert.NotEmpty(hashes);
        return hashes;
    }

    [Fact]
    public void A_new_captured_value_finds_the_cached_shape_without_translating_again()
    {
        _ = BySubject("s1").ToList();
        var cached = InlineQueryCache.Lookup(BySubject("s2").Expression);
        Assert.NotNull(cached);
        int translations = cached.Translations;
        Assert.Equal(Hashes(a => a.Subject == "s2"), BySubject("s2").ToList().Order());
        Assert.Equal(Hashes(a => a.Subject == "s3"), BySubject("s3").ToList().Order());
        Assert.Equal(translations, cached.Translations);
        Assert.Same(cached, InlineQueryCache.Lookup(BySubject("s4").Expression));
    }

    [Fact]
    public void A_repeated_query_ending_in_an_operator_finds_its_cached_shape()
    {
        int Count(string subject) => Db.Reader.Assertions().UsingLens(Lens.Consensus).Where(a => a.Subject == subject).Count();
        Assert.Equal(Db.Consensus.Count(a => a.Subject == "s1"), Count("s1"));
        int misses = InlineQueryCache.MissesOnThisThread;
        Assert.Equal(Db.Consensus.Count(a => a.Subject == "s2"), Count("s2"));
        Assert.Equal(Db.Consensus.Count(a => a.Subject == "s3"), Count("s3"));
        Assert.Equal(misses, InlineQueryCache.MissesOnThisThread);
    }

    [Fact]
    public void Queries_that_differ_only_in_a_constant_read_their_own_rows()
    {
        Assert.NotEqual(Hashes(a => a.Lsn > 5), Hashes(a => a.Lsn > 40));
        Assert.Equal(Hashes(a => a.Lsn > 5), Db.Reader.Assertions().Where(a => a.Lsn > 5).Select(a => a.Hash).ToList().Order());
        Assert.Equal(Hashes(a => a.Lsn > 40), Db.Reader.Assertions().Where(a => a.Lsn > 40).Select(a => a.Hash).ToList().Order());
    }

    [Fact]
    public void Queries_that_differ_only_in_a_member_read_their_own_rows()
    {
        // Both lambdas capture the same variable (one closure): only the member tells them apart.
        string value = "s1";
        var bySubject = Db.Reader.Assertions().Where(a => a.Subject == value).Select(a => a.Hash);
        var byPredicate = Db.Reader.Assertions().Where(a => a.Predicate == value).Select(a => a.Hash);
        Assert.Equal(Hashes(a => a.Subject == "s1"), bySubject.ToList().Order());
        value = "p1";
        Assert.Equal(Hashes(a => a.Predicate == "p1"), byPredicate.ToList().Order());
    }

    [Fact]
    public void Queries_that_differ_only_in_a_method_read_their_own_rows()
    {
        string value = "S1";
        var upper = Db.Reader.Assertions().Where(a => a.Subject.ToUpper() == value).Select(a => a.Hash);
        var lower = Db.Reader.Assertions().Where(a => a.Subject.ToLower() == value).Select(a => a.Hash);
        Assert.Equal(Hashes(a => a.Subject == "s1"), upper.ToList().Order());
        value = "s2";
        Assert.Equal(Hashes(a => a.Subject == "s2"), lower.ToList().Order());
    }

    [Fact]
    public void Queries_that_differ_only_in_the_lens_read_their_own_rows()
    {
        var consensus = Db.Consensus.Select(a => a.Hash).Order().ToList();
        var recency = Db.Recency.Select(a => a.Hash).Order().ToList();
        Assert.NotEqual(consensus, recency);
        foreach (var (lens, expected) in new[] { (Lens.Consensus, consensus), (Lens.Recency, recency) })
        {
            Assert.Equal(expected, Db.Reader.Assertions().UsingLens(lens).Select(a => a.Hash).ToList().Order());
        }
    }

    [Fact]
    public void Queries_that_differ_only_in_an_operator_read_their_own_rows()
    {
        long lsn = Db.Ledger[5].Lsn;
        var after = Db.Reader.Assertions().Where(a => a.Lsn > lsn).Select(a => a.Hash);
        var from = Db.Reader.Assertions().Where(a => a.Lsn >= lsn).Select(a => a.Hash);
        Assert.Equal(Hashes(a => a.Lsn > lsn), after.ToList().Order());
        Assert.Equal(Hashes(a => a.Lsn >= lsn), from.ToList().Order());
    }

    [Fact]
    public void A_method_called_on_a_captured_value_is_called_again_at_each_execution()
    {
        List<string> Run(string subject) => [.. Db.Reader.Assertions().Where(a => a.Subject == subject.ToLowerInvariant()).Select(a => a.Hash)];
        Assert.Equal(Hashes(a => a.Subject == "s1"), Run("S1").Order());
        Assert.Equal(Hashes(a => a.Subject == "s2"), Run("S2").Order());
    }

    [Fact]
    public void A_member_of_a_captured_object_is_read_again_at_each_execution()
    {
        var holder = new SubjectHolder { Subject = "s1" };
        List<string> Run() => [.. Db.Reader.Assertions().Where(a => a.Subject == holder.Subject).Select(a => a.Hash)];
        Assert.Equal(Hashes(a => a.Subject == "s1"), Run().Order());
        holder.Subject = "s3";
        Assert.Equal(Hashes(a => a.Subject == "s3"), Run().Order());
    }

    [Fact]
    public void A_static_field_is_read_again_at_each_execution()
    {
        List<string> Run() => [.. Db.Reader.Assertions().Where(a => a.Subject == s_staticSubject).Select(a => a.Hash)];
        s_staticSubject = "s1";
        Assert.Equal(Hashes(a => a.Subject == "s1"), Run().Order());
        s_staticSubject = "s4";
        Assert.Equal(Hashes(a => a.Subject == "s4"), Run().Order());
    }

    [Fact]
    public void A_captured_array_is_read_again_at_each_execution()
    {
        List<string> Run(string[] subjects) => [.. Db.Reader.Assertions().Where(a => subjects.Contains(a.Subject)).Select(a => a.Hash)];
        Assert.Equal(Hashes(a => a.Subject is "s1" or "s2"), Run(["s1", "s2"]).Order());
        Assert.Equal(Hashes(a => a.Subject is "s5" or "s6"), Run(["s5", "s6"]).Order());
    }

    [Fact]
    public void A_repeated_query_alternating_between_two_databases_reads_each_ones_rows()
    {
        var other = databases.For(3);
        List<string> Run(StemeConnection connection, string subject) =>
            [.. connection.Assertions().Where(a => a.Subject == subject).Select(a => a.Hash)];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Hashes(a => a.Subject == "s1"), Run(Db.Reader, "s1").Order());
            Assert.Equal(Hashes(a => a.Subject == "s1", other.Ledger), Run(other.Reader, "s1").Order());
        }
    }

    [Fact]
    public void A_query_whose_command_is_kept_joins_a_transaction_begun_later_and_leaves_it_when_it_ends()
    {
        using var db = new StemeConnection("Data Source=:memory:;Agent=alice");
        db.Open();
        using (var assert = new StemeCommand("ASSERT ('bob', 'age', 42)", db)) assert.ExecuteNonQuery();
        string subject = "bob";
        long Age() => db.Assertions().Where(a => a.Subject == subject).Select(a => a.ObjectAs<long>()).Single();
        Assert.Equal(42L, Age());
        using (var transaction = db.BeginTransaction())
        {
            Assert.Equal(42L, Age());
            transaction.Commit();
        }
        Assert.Equal(42L, Age());
    }

    private sealed class SubjectHolder
    {
        public string Subject { get; set; } = "";
    }
}

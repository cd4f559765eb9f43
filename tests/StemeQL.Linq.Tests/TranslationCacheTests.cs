using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>A repeated LINQ query reuses its translation, bound to the new values, and still reads the right rows.</summary>
[Collection("linq")]
public sealed class TranslationCacheTests(Databases databases)
{
    private LinqDatabase Db => databases.For(2);

    private QueryTemplate TemplateOf<T>(IQueryable<T> query) => QueryTranslator.Translate(query.Expression).Template;

    [Fact]
    public void Translate_reuses_the_template_when_only_captured_values_differ()
    {
        IQueryable<string> BySubject(string subject, double confidence) => Db.Reader.Assertions()
            .Where(a => a.Subject == subject && a.Confidence > confidence).Select(a => a.Hash);
        Assert.Same(TemplateOf(BySubject("s1", 0.2)), TemplateOf(BySubject("s5", 0.7)));
    }

    [Fact]
    public void Queries_that_differ_in_a_member_a_literal_or_an_operator_get_their_own_translations()
    {
        string value = "s1";
        var bySubject = TemplateOf(Db.Reader.Assertions().Where(a => a.Subject == value));
        Assert.NotSame(bySubject, TemplateOf(Db.Reader.Assertions().Where(a => a.Predicate == value)));
        Assert.NotSame(bySubject, TemplateOf(Db.Reader.Assertions().Where(a => a.Subject != value)));
        Assert.NotSame(TemplateOf(Db.Reader.Assertions().Where(a => a.Lsn > 1)), TemplateOf(Db.Reader.Assertions().Where(a => a.Lsn > 2)));
        Assert.EndsWith("FROM assertions WHERE predicate = @p0", Db.Reader.Assertions().Where(a => a.Predicate == value).ToQueryString());
    }

    [Fact]
    public void A_cached_query_reads_the_rows_of_its_new_values()
    {
        List<string> BySubject(string subject) => [.. Db.Reader.Assertions().Where(a => a.Subject == subject).Select(a => a.Hash)];
        foreach (var subject in new[] { "s1", "s2", "s3" })
        {
            var expected = Db.Ledger.Where(a => a.Subject == subject).Select(a => a.Hash).Order().ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, BySubject(subject).Order());
        }
    }

    [Fact]
    public void A_captured_null_and_a_captured_value_get_their_own_translations()
    {
        List<string> ByEpoch(string? epoch) => [.. Db.Reader.Assertions().Where(a => a.Epoch == epoch).Select(a => a.Hash)];
        var withValue = Db.Ledger.Where(a => a.Epoch == "modern").Select(a => a.Hash).Order().ToList();
        Assert.NotEmpty(withValue);
        Assert.Empty(ByEpoch(null));
        Assert.Equal(withValue, ByEpoch("modern").Order());
        Assert.Empty(ByEpoch(null));
    }

    [Fact]
    public void A_captured_list_of_another_length_reads_all_its_items()
    {
        List<string> BySubjects(List<string> subjects) => [.. Db.Reader.Assertions().Where(a => subjects.Contains(a.Subject)).Select(a => a.Hash)];
        var two = new List<string> { "s1", "s2" };
        var three = new List<string> { "s1", "s2", "s3" };
        Assert.Equal(Db.Ledger.Where(a => two.Contains(a.Subject)).Select(a => a.Hash).Order(), BySubjects(two).Order());
        Assert.Equal(Db.Ledger.Where(a => three.Contains(a.Subject)).Select(a => a.Hash).Order(), BySubjects(three).Order());
        Assert.NotEqual(BySubjects(two).Count, BySubjects(three).Count);
    }

    [Fact]
    public void A_prefix_with_a_wildcard_after_one_without_is_matched_literally()
    {
        List<string> ByPrefix(string prefix) => [.. Db.Reader.Assertions().Where(a => a.Epoch.StartsWith(prefix)).Select(a => a.Epoch)];
        Assert.All(ByPrefix("mod"), e => Assert.Equal("modern", e));
        var percent = ByPrefix("e%");
        Assert.NotEmpty(percent);
        Assert.All(percent, e => Assert.Equal("e%2", e));
    }

    [Fact]
    public void Take_with_another_count_returns_that_many_rows()
    {
        int Count(int take) => Db.Reader.Assertions().OrderBy(a => a.Lsn).Take(take).Select(a => a.Hash).ToList().Count;
        Assert.Equal(3, Count(3));
        Assert.Equal(7, Count(7));
    }

    [Fact]
    public void A_captured_value_in_the_projection_is_the_new_value()
    {
        List<string> Tagged(string tag) => [.. Db.Reader.Assertions().Where(a => a.Subject == "s1").Select(a => new { a.Hash, Tag = tag }).Select(x => x.Tag)];
        Assert.All(Tagged("first"), t => Assert.Equal("first", t));
        var second = Tagged("second");
        Assert.NotEmpty(second);
        Assert.All(second, t => Assert.Equal("second", t));
    }
}

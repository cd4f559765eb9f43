using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public abstract class AwkwardValueStoreTests(StoreBackend backend) : IDisposable
{
    private readonly IBackendStore _test = backend.Create();

    private IEpistemeStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    [Theory]
    [MemberData(nameof(AwkwardValues.Names), MemberType = typeof(AwkwardValues))]
    public void Object_round_trips_through_the_ledger_and_the_views_and_after_reopening(string name)
    {
        var value = AwkwardValues.Named(name);
        var assertion = A("s", "p", value.Value);
        Store.Assert(assertion);
        Store.Vote(assertion.Hash, "bob", 0.5);
        Store.Assert(A("s", "p", value.Value, "carol"));
        for (int round = 0; round < 2; round++)
        {
            var read = Assert.Single(Store.ScanAssertions(Key("s", "p")), a => a.Assertion.Agent == "alice").Assertion;
            Assert.True(value.Expected == read.Object, $"{name}: read back a different {read.Object.Kind}");
            Assert.Equal(assertion.Hash, read.Hash);
            foreach (var lens in new[] { "consensus", "recency" })
            {
                var row = Store.View(lens, "s", "p");
                Assert.True(value.Expected == row.Winner.Assertion.Object, $"{name}: the {lens} view holds a different value");
                Assert.Equal(1, row.Candidates);
            }
            Assert.Equal(Weights.ToUnits(2.5), Store.View("consensus", "s", "p").SupportUnits);
            Assert.True(Store.CheckIntegrity(repair: false, null, CancellationToken.None).IsSound, $"{name}: the check found problems");
            _test.Reopen();
        }
    }

    [Theory]
    [MemberData(nameof(AwkwardValues.TextNames), MemberType = typeof(AwkwardValues))]
    public void Text_is_found_again_as_a_subject_and_a_predicate_key(string name)
    {
        var value = AwkwardValues.Named(name);
        string text = value.RawText, expected = value.Expected.AsText;
        Store.Assert(A(text, text, StemeValue.Integer(1)));
        Store.Assert(A("other", "other", StemeValue.Integer(2)));

        Assert.Equal(expected, Assert.Single(Store.ScanAssertions(Key(text, text))).Assertion.Subject);
        Assert.Single(Store.ScanAssertions(new KeyFilter(null, [text])));
        Assert.Single(Store.LookupView("consensus", Key(text, text)));
        Assert.Single(Store.LookupView("recency", new KeyFilter(null, [text])));
        // More keys than are bound one by one: they go through a temporary table.
        var many = Enumerable.Range(0, ReadShape.MaxParameters + 1).Select(i => "k" + i).Append(text).ToList();
        Assert.Single(Store.ScanAssertions(new KeyFilter(many, null)));
        Assert.Single(Store.LookupView("consensus", new KeyFilter(many, [text])));
    }
}

/// <summary>The awkward values suite on the embedded store.</summary>
public sealed class EmbeddedAwkwardValueStoreTests() : AwkwardValueStoreTests(StoreBackend.Embedded);

/// <summary>The awkward values suite on PostgreSQL.</summary>
public sealed class PostgresAwkwardValueStoreTests() : AwkwardValueStoreTests(StoreBackend.Postgres);

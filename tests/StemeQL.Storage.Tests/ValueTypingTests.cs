using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public abstract class ValueTypingTests(StoreBackend backend) : IDisposable
{
    private readonly IBackendStore _test = backend.Create();

    private IEpistemeStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    public static TheoryData<string, StemeValue> Values => new()
    {
        { "text", StemeValue.Text("france") },
        { "empty text", StemeValue.Text("") },
        { "unicode text", StemeValue.Text("Zürich ✓ 東京 🌍") },
        { "text with a NUL", StemeValue.Text("a\0b") },
        { "text that looks like a number", StemeValue.Text("1") },
        { "zero", StemeValue.Integer(0) },
        { "negative integer", StemeValue.Integer(-42) },
        { "largest integer", StemeValue.Integer(long.MaxValue) },
        { "smallest integer", StemeValue.Integer(long.MinValue) },
        { "real", StemeValue.Real(3.14) },
        { "whole real", StemeValue.Real(1.0) },
        { "negative real", StemeValue.Real(-2.5e-300) },
        { "largest real", StemeValue.Real(double.MaxValue) },
        { "smallest positive real", StemeValue.Real(double.Epsilon) },
        { "infinity", StemeValue.Real(double.PositiveInfinity) },
        { "negative infinity", StemeValue.Real(double.NegativeInfinity) },
        { "NaN", StemeValue.Real(double.NaN) },
        { "true", StemeValue.Boolean(true) },
        { "false", StemeValue.Boolean(false) },
        { "bytes", StemeValue.Bytes([0, 1, 127, 128, 255]) },
        { "empty bytes", StemeValue.Bytes([]) },
        { "large bytes", StemeValue.Bytes(Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray()) },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Objects_round_trip_with_their_type(string name, StemeValue value)
    {
        var assertion = A("s", "p", value, "alice");
        Store.Assert(assertion);
        // Vote on it too: the view keys the value by what was read back from the ledger.
        Store.Vote(assertion.Hash, "bob", 0.5);
        var read = Assert.Single(Store.ScanAssertions(KeyFilter.All)).Assertion;
        Assert.True(value == read.Object, $"{name}: read back {read.Object}");
        Assert.Equal(value.Kind, read.Object.Kind);
        Assert.Equal(assertion.Hash, read.Hash);
        var row = Store.View("consensus", "s", "p");
        Assert.Equal(assertion.Hash, row.Winner.Assertion.Hash);
        Assert.Equal(Weights.ToUnits(1.5), row.SupportUnits);
        Assert.Equal(1, row.Candidates);
        // Asserting the same value again finds the same view value.
        Store.Assert(A("s", "p", value, "carol"));
        Assert.Equal(1, Store.View("consensus", "s", "p").Candidates);
    }

    [Fact]
    public void Strings_round_trip_in_every_text_column()
    {
        var assertion = A("sübject ✓", "prédicate 🌍", StemeValue.Integer(1), epoch: "époque", agent: "agënt 東京");
        Store.Assert(assertion);
        Store.Vote(assertion.Hash, "vötér 🗳");
        var read = Assert.Single(Store.ScanAssertions(Key("sübject ✓", "prédicate 🌍"))).Assertion;
        Assert.Equal(("sübject ✓", "prédicate 🌍", "époque", "agënt 東京"), (read.Subject, read.Predicate, read.Epoch, read.Agent));
        Assert.Equal("vötér 🗳", Assert.Single(Store.ScanVotes(null)).Agent);
    }

    [Fact]
    public void Values_of_different_types_stay_distinct_in_the_view()
    {
        var integer = A("x", "v", StemeValue.Integer(1), "a1");
        var real = A("x", "v", StemeValue.Real(1.0), "a2");
        var text = A("x", "v", StemeValue.Text("1"), "a3");
        var boolean = A("x", "v", StemeValue.Boolean(true), "a4");
        var bytes = A("x", "v", StemeValue.Bytes([1]), "a5");
        foreach (var assertion in new[] { integer, real, text, boolean, bytes }) Store.Assert(assertion);
        var row = Store.View("consensus", "x", "v");
        Assert.Equal(5, row.Candidates);
        Assert.Equal(integer.Hash, row.Winner.Assertion.Hash);
        Assert.Equal(Weights.ToUnits(1), row.SupportUnits);

        Store.Vote(boolean.Hash, "bob", 0.5);
        row = Store.View("consensus", "x", "v");
        Assert.Equal(boolean.Hash, row.Winner.Assertion.Hash);
        Assert.Equal(Weights.ToUnits(1.5), row.SupportUnits);

        // A second assertion of text '1' joins text '1' only.
        Store.Assert(A("x", "v", StemeValue.Text("1"), "a6"));
        Store.Assert(A("x", "v", StemeValue.Text("1"), "a7"));
        row = Store.View("consensus", "x", "v");
        Assert.Equal(text.Hash, row.Winner.Assertion.Hash);
        Assert.Equal(Weights.ToUnits(3), row.SupportUnits);
        Assert.Equal(5, row.Candidates);
        ReferenceLens.AssertViewsMatch(Store, [("x", "v")], "typed values");
    }

    [Fact]
    public void Every_value_round_trips_in_one_bulk_sized_write()
    {
        // Over a thousand rows, so PostgreSQL appends the ledger and the view rows with binary COPY: each sample value in a
        // set of its own, with a lineage, a subject longer than an index key, and an agent and epoch with a NUL in them.
        string longSubject = new('s', 3000);
        var filler = Enumerable.Range(0, 1100).Select(i => A("filler" + i, "p", StemeValue.Integer(i))).ToList();
        var samples = Values.Select((row, i) => A(i % 2 == 0 ? longSubject + i : "s" + i, "p\0" + i, (StemeValue)row[1], "agent\0" + i,
            confidence: 0.5, epoch: "epoch\0", lineage: [filler[i].Hash])).ToList();
        var operations = filler.Concat(samples).Select(a => (WriteOperation)new AssertOperation(a)).ToList();

        Store.WriteVisible(operations);

        foreach (var sample in samples)
        {
            var read = Assert.Single(Store.ScanAssertions(Key(sample.Subject, sample.Predicate))).Assertion;
            Assert.True(sample.Object == read.Object, $"{sample.Predicate}: read back {read.Object}");
            Assert.Equal((sample.Hash, sample.Agent, sample.Epoch, sample.Confidence), (read.Hash, read.Agent, read.Epoch, read.Confidence));
            Assert.Equal(sample.Lineage, read.Lineage);
            Assert.Equal(sample.Hash, Store.View("consensus", sample.Subject, sample.Predicate).Winner.Assertion.Hash);
        }
        ReferenceLens.AssertViewsMatch(Store, samples.Select(s => (s.Subject, s.Predicate)), "after one bulk-sized write");
    }

    [Fact]
    public void An_unpaired_surrogate_is_stored_as_the_replacement_character_its_hash_was_computed_with()
    {
        // A .NET string can hold half a surrogate pair; UTF-8 cannot. The hash, the journal and the
        // ledger must all make the same U+FFFD of it, or the stored text would not hash back to itself.
        var assertion = A("s\uD800", "p", StemeValue.Text("x\uDC00y"), "alice");
        Store.Assert(assertion);
        var read = Assert.Single(Store.ScanAssertions(KeyFilter.All)).Assertion;
        Assert.Equal("s\uFFFD", read.Subject);
        Assert.Equal(StemeValue.Text("x\uFFFDy"), read.Object);
        Assert.Equal(assertion.Hash, read.Hash);
        Assert.Equal(assertion.Hash, Assert.Single(Store.ScanAssertions(KeyFilter.All)).Assertion.Hash);
        Assert.Equal(1, Store.View("consensus", "s\uFFFD", "p").Candidates);
    }
}

/// <summary>The value typing suite on the embedded store.</summary>
public sealed class EmbeddedValueTypingTests() : ValueTypingTests(StoreBackend.Embedded);

/// <summary>The value typing suite on PostgreSQL.</summary>
public sealed class PostgresValueTypingTests() : ValueTypingTests(StoreBackend.Postgres);

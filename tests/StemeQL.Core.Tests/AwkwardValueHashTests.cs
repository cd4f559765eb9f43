using System.Buffers;
using StemeQL.Core.Encoding;
using StemeQL.Core.Model;
using StemeQL.TestSupport;

namespace StemeQL.Core.Tests;

public sealed class AwkwardValueHashTests
{
    [Theory]
    [MemberData(nameof(AwkwardValues.Names), MemberType = typeof(AwkwardValues))]
    public void Hash_of_a_value_equals_the_hash_of_what_it_reads_back_as(string name)
    {
        var value = AwkwardValues.Named(name);
        Assert.Equal(new Assertion("s", "p", value.Expected, "", "a").Hash, new Assertion("s", "p", value.Value, "", "a").Hash);
    }

    [Theory]
    [MemberData(nameof(AwkwardValues.TextNames), MemberType = typeof(AwkwardValues))]
    public void Canonical_encoding_of_text_holds_exactly_the_expected_text(string name)
    {
        var value = AwkwardValues.Named(name);
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalEncoding.WriteString(buffer, value.RawText);
        var bytes = buffer.WrittenSpan;
        // Skip the LEB128 length prefix.
        int prefix = 0;
        while ((bytes[prefix] & 0x80) != 0) prefix++;
        Assert.Equal(value.Expected.AsText, System.Text.Encoding.UTF8.GetString(bytes[(prefix + 1)..]));
    }

    [Fact]
    public void Text_keeps_surrogate_pairs_and_replaces_only_unpaired_halves()
    {
        Assert.Equal("a\U0001F600\uFFFDb\uFFFD\uFFFD", StemeValue.Text("a\U0001F600\uD800b\uDC00\uDBFF").AsText);
        string wellFormed = "plain \U0010FFFD";
        Assert.Same(wellFormed, StemeValue.Text(wellFormed).AsText);
    }

    [Fact]
    public void Distinct_values_hash_apart_and_equal_values_alike()
    {
        var byExpected = AwkwardValues.All.GroupBy(v => v.Expected).ToList();
        var hashes = byExpected.Select(g => new Assertion("s", "p", g.Key, "", "a").Hash).Distinct().Count();
        Assert.Equal(byExpected.Count, hashes);
        // The table has distinct values that read back as one (surrogates and -0.0 normalised).
        Assert.True(byExpected.Count < AwkwardValues.All.Count);
    }
}

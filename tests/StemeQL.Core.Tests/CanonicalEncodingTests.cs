using StemeQL.Core.Model;

namespace StemeQL.Core.Tests;

public sealed class CanonicalEncodingTests
{
    [Fact]
    public void Hash_matches_the_documented_vector()
    {
        // docs/storage.md recomputes this hash in Python; a change here changes every stored hash.
        var assertion = new Assertion("paris", "capital_of", StemeValue.Text("france"), "", "alice");
        Assert.Equal("1b1e46e234c08b1a504a2de47aaafaaf6b5ca71e6829c7c66e96bf55c760754f", assertion.Hash.ToString());
    }

    [Fact]
    public void A_bytes_assertion_hashes_its_bytes_by_their_SHA256_under_version_2()
    {
        // docs/storage.md: version byte 0x02, and the bytes object as varint length + SHA-256(bytes).
        var assertion = new Assertion("doc", "body", StemeValue.Bytes([1, 2, 3]), "", "alice");
        Assert.Equal("ee97b8dc3eb4cf7827cf58e192f2b8878325ba33e3219ec637d377b39d409e6e", assertion.Hash.ToString());
    }

    [Fact]
    public void A_bytes_assertion_has_the_same_hash_whether_its_bytes_are_inline_or_external()
    {
        byte[] bytes = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
        var external = StemeValue.External(new ObjectReference(ContentHash.Compute(bytes), bytes.Length));
        Assert.Equal(new Assertion("doc", "body", StemeValue.Bytes(bytes), "", "alice").Hash,
            new Assertion("doc", "body", external, "", "alice").Hash);
        Assert.Equal(StemeValue.Bytes(bytes), external);
    }

    [Fact]
    public void Hash_ignores_confidence_but_not_agent_epoch_or_type()
    {
        var baseline = new Assertion("s", "p", StemeValue.Integer(1), "", "alice");
        Assert.Equal(baseline.Hash, new Assertion("s", "p", StemeValue.Integer(1), "", "alice", confidence: 0.2).Hash);
        Assert.NotEqual(baseline.Hash, new Assertion("s", "p", StemeValue.Integer(1), "", "bob").Hash);
        Assert.NotEqual(baseline.Hash, new Assertion("s", "p", StemeValue.Integer(1), "e", "alice").Hash);
        Assert.NotEqual(baseline.Hash, new Assertion("s", "p", StemeValue.Real(1.0), "", "alice").Hash);
        Assert.NotEqual(baseline.Hash, new Assertion("s", "p", StemeValue.Text("1"), "", "alice").Hash);
        Assert.NotEqual(baseline.Hash, new Assertion("s", "p", StemeValue.Boolean(true), "", "alice").Hash);
    }

    [Fact]
    public void Length_prefixes_keep_field_boundaries_apart()
    {
        var a = new Assertion("ab", "c", StemeValue.Text("x"), "", "alice");
        var b = new Assertion("a", "bc", StemeValue.Text("x"), "", "alice");
        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void Lineage_is_a_set()
    {
        var p1 = new Assertion("a", "p", StemeValue.Text("x"), "", "alice").Hash;
        var p2 = new Assertion("b", "p", StemeValue.Text("x"), "", "alice").Hash;
        var forward = new Assertion("c", "p", StemeValue.Text("x"), "", "alice", [p1, p2]);
        var backward = new Assertion("c", "p", StemeValue.Text("x"), "", "alice", [p2, p1, p2]);
        Assert.Equal(forward.Hash, backward.Hash);
        Assert.Equal(2, backward.Lineage.Count);
        Assert.NotEqual(forward.Hash, new Assertion("c", "p", StemeValue.Text("x"), "", "alice").Hash);
    }

    [Fact]
    public void Negative_zero_hashes_like_zero()
    {
        Assert.Equal(new Assertion("s", "p", StemeValue.Real(0.0), "", "a").Hash, new Assertion("s", "p", StemeValue.Real(-0.0), "", "a").Hash);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Confidence_outside_zero_to_one_is_rejected(double confidence)
    {
        var error = Assert.Throws<StemeException>(() => new Assertion("s", "p", StemeValue.Text("o"), "", "a", confidence: confidence));
        Assert.Equal(StemeErrorCode.InvalidConfidence, error.ErrorCode);
    }

    [Fact]
    public void ContentHash_parses_either_case_and_rejects_other_text()
    {
        var hash = new Assertion("s", "p", StemeValue.Text("o"), "", "a").Hash;
        Assert.Equal(hash, ContentHash.Parse(hash.ToString().ToUpperInvariant()));
        Assert.False(ContentHash.TryParse("xyz", out _));
        Assert.False(ContentHash.TryParse(new string('g', 64), out _));
        Assert.Equal(StemeErrorCode.InvalidHash, Assert.Throws<StemeException>(() => ContentHash.Parse("abc")).ErrorCode);
    }

    [Fact]
    public void ContentHash_keeps_its_own_copy_of_the_bytes_and_orders_by_them()
    {
        var bytes = Enumerable.Range(0, ContentHash.Size).Select(i => (byte)i).ToArray();
        var hash = ContentHash.FromBytes(bytes);
        bytes[0] = 0xFF;
        Assert.Equal(0, hash.Bytes[0]);
        Assert.Equal("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", hash.ToString());
        Assert.Equal(hash, ContentHash.Parse(hash.ToString()));
        Assert.Equal(hash.GetHashCode(), ContentHash.Parse(hash.ToString()).GetHashCode());
        Assert.True(hash < ContentHash.FromBytes(bytes));
        Assert.Equal(new string('0', 64), default(ContentHash).ToString());
        Assert.Throws<ArgumentException>(() => ContentHash.FromBytes(new byte[ContentHash.Size - 1]));
    }
}

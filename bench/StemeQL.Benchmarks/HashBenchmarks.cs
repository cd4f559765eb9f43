using BenchmarkDotNet.Attributes;
using StemeQL.Core.Encoding;
using StemeQL.Core.Model;

namespace StemeQL.Benchmarks;

/// <summary>Content addressing: the canonical encoding of an assertion and its SHA-256, apart and together.</summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private Assertion _assertion = null!;
    private byte[] _encoded = null!;
    private string _hex = null!;
    private ContentHash[] _lineage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _assertion = new Assertion("paris", "capital_of", StemeValue.Text("france"), "", "alice");
        _encoded = CanonicalEncoding.Encode(_assertion);
        _hex = _assertion.Hash.ToString();
        _lineage = [_assertion.Hash, new Assertion("france", "is_a", StemeValue.Text("country"), "", "bob").Hash];
    }

    [Benchmark(Baseline = true, Description = "new Assertion (encode + SHA-256)")]
    public Assertion NewAssertion() => new("paris", "capital_of", StemeValue.Text("france"), "", "alice");

    [Benchmark(Description = "new Assertion with 2-hash lineage")]
    public Assertion NewDerivedAssertion() => new("paris", "capital_of", StemeValue.Text("france"), "", "alice", _lineage, 0.9);

    [Benchmark(Description = "canonical encoding only")]
    public byte[] Encode() => CanonicalEncoding.Encode(_assertion);

    [Benchmark(Description = "SHA-256 of the encoding only")]
    public ContentHash Sha256() => ContentHash.Compute(_encoded);

    [Benchmark(Description = "hash → hex")]
    public string ToHex() => _assertion.Hash.ToString();

    [Benchmark(Description = "hex → hash")]
    public ContentHash ParseHex() => ContentHash.Parse(_hex);
}

using BenchmarkDotNet.Attributes;
using StemeQL.Core.Model;

namespace StemeQL.Benchmarks;

/// <summary>StemeValue comparisons, as WHERE, ORDER BY and the lenses use them.</summary>
public class ValueBenchmarks
{
    private readonly StemeValue _text1 = StemeValue.Text("capital_of");
    private readonly StemeValue _text2 = StemeValue.Text("capital_in");
    private readonly StemeValue _integer = StemeValue.Integer(42);
    private readonly StemeValue _real = StemeValue.Real(42.0);
    private readonly StemeValue _boolean = StemeValue.Boolean(true);

    [Benchmark(Baseline = true, Description = "text = text (Equals)")]
    public bool TextEquals() => _text1.Equals(_text2);

    [Benchmark(Description = "text <=> text (CompareSql)")]
    public int? TextCompareSql() => _text1.CompareSql(_text2);

    [Benchmark(Description = "integer <=> real (CompareSql)")]
    public int? NumericCompareSql() => _integer.CompareSql(_real);

    [Benchmark(Description = "integer vs real (CompareForSort)")]
    public int NumericCompareForSort() => _integer.CompareForSort(_real);

    [Benchmark(Description = "text vs boolean (CompareForSort)")]
    public int MixedCompareForSort() => _text1.CompareForSort(_boolean);

    [Benchmark(Description = "GetHashCode (text)")]
    public int TextHash() => _text1.GetHashCode();
}

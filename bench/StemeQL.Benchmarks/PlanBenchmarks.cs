using BenchmarkDotNet.Attributes;
using StemeQL.Planner.Execution;
using StemeQL.Planner.Parsing;

namespace StemeQL.Benchmarks;

/// <summary>
/// Preparing a lens SELECT: parse + plan from cold (a plan cache that keeps nothing) against a plan
/// cache hit, the path a repeated command or a prepared one takes.
/// </summary>
[MemoryDiagnoser]
public class PlanBenchmarks
{
    private const string Query =
        "SELECT subject, predicate, object, confidence FROM assertions USING LENS consensus WHERE subject = @s AND predicate = @p ORDER BY confidence DESC LIMIT 10";

    private Session _cold = null!;
    private Session _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cold = Session.Open(":memory:", "bench", new PlanCache(0));
        _warm = Session.Open(":memory:", "bench", new PlanCache(512));
        _warm.Prepare(Query);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cold.Dispose();
        _warm.Dispose();
    }

    [Benchmark(Baseline = true, Description = "parse + plan (cold)")]
    public object ParseAndPlan() => _cold.Prepare(Query);

    [Benchmark(Description = "parse only")]
    public object ParseOnly() => StemeParser.Parse(Query);

    [Benchmark(Description = "plan cache hit")]
    public object PlanCacheHit() => _warm.Prepare(Query);
}
